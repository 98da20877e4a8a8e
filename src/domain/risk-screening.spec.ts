import { describe, expect, it } from '@jest/globals';
import { Channel } from './channels.js';
import { RiskFlag, screenContact } from './risk-screening.js';

describe('risk screening at intake', () => {
  it('marks a web form reporting domestic abuse IR, domestic abuse and nothing else', () => {
    const screening = screenContact({ channel: Channel.WebForm, flags: [], narrative: 'My ex-partner hit me and keeps threatening me' });
    expect(screening).toMatchObject({ riskMarker: 'IR', domesticAbuse: true, sexualOffence: false });
    expect(screening.reasons).toContain('narrative:domestic-abuse');
  });

  it('marks sexual offences from flags or narrative', () => {
    expect(screenContact({ channel: Channel.Email, flags: [RiskFlag.SexualOffence], narrative: 'Please call me back' }).sexualOffence).toBe(true);
    expect(screenContact({ channel: Channel.Email, flags: [], narrative: 'I was sexually assaulted on the way home' }).sexualOffence).toBe(true);
  });

  it('marks IR only on digital submissions: a 101 call with risk is not IR', () => {
    const call = screenContact({ channel: Channel.NonEmergencyCall, flags: [RiskFlag.Weapon], narrative: 'a man with a knife' });
    expect(call.riskMarker).toBeNull();
    expect(call.reasons).toEqual(expect.arrayContaining(['flag:weapon', 'narrative:weapon']));
    for (const channel of [Channel.Sms, Channel.Email, Channel.WebForm, Channel.Webchat, Channel.SocialMedia]) {
      expect(screenContact({ channel, flags: [RiskFlag.Weapon], narrative: 'x' }).riskMarker).toBe('IR');
    }
  });

  it('leaves a routine digital submission unmarked', () => {
    expect(screenContact({ channel: Channel.WebForm, flags: [], narrative: 'My bicycle was taken from the shed last week' })).toEqual({
      riskMarker: null,
      domesticAbuse: false,
      sexualOffence: false,
      vulnerable: false,
      reasons: [],
    });
  });

  it('marks vulnerability from flags and from self-harm in the narrative', () => {
    expect(screenContact({ channel: Channel.Sms, flags: [RiskFlag.RepeatCaller], narrative: 'noise again' }).vulnerable).toBe(true);
    expect(screenContact({ channel: Channel.Webchat, flags: [], narrative: 'he said he wants to end his life' })).toMatchObject({ vulnerable: true, riskMarker: 'IR' });
  });

  it('gives reasons as codes, never words of the narrative', () => {
    const { reasons } = screenContact({ channel: Channel.WebForm, flags: [], narrative: 'Mr Smith at 4 Elm Road has a gun' });
    expect(reasons.join(' ')).not.toMatch(/Smith|Elm/);
  });
});
