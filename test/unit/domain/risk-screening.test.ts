import { describe, expect, it } from '@jest/globals';
import { defaultPolicy } from '../../support/policies.js';
import { Channel } from '../../../src/domain/channels.js';
import { RiskFlag, screenContact } from '../../../src/domain/risk-screening.js';

const policy = defaultPolicy();

describe('risk screening at intake', () => {
  it('marks a web form reporting domestic abuse IR, domestic abuse and nothing else', () => {
    const screening = screenContact({ channel: Channel.WebForm, flags: [], narrative: 'My ex-partner hit me and keeps threatening me' }, policy);
    expect(screening).toMatchObject({ riskMarker: 'IR', domesticAbuse: true, sexualOffence: false });
    expect(screening.reasons).toContain('narrative:domestic-abuse');
  });

  it('marks sexual offences from flags or narrative', () => {
    expect(screenContact({ channel: Channel.Email, flags: [RiskFlag.SexualOffence], narrative: 'Please call me back' }, policy).sexualOffence).toBe(true);
    expect(screenContact({ channel: Channel.Email, flags: [], narrative: 'I was sexually assaulted on the way home' }, policy).sexualOffence).toBe(true);
  });

  it('marks IR only on the submissions the policy gives a digital action clock: a 101 call with risk is not IR', () => {
    const call = screenContact({ channel: Channel.NonEmergencyCall, flags: [RiskFlag.Weapon], narrative: 'a man with a knife' }, policy);
    expect(call.riskMarker).toBeNull();
    expect(call.reasons).toEqual(expect.arrayContaining(['flag:weapon', 'narrative:weapon']));
    expect(policy.digitalActionChannels.length).toBeGreaterThan(0);
    for (const channel of Object.values(Channel)) {
      const expected = policy.digitalActionChannels.includes(channel) ? 'IR' : null;
      expect([channel, screenContact({ channel, flags: [RiskFlag.Weapon], narrative: 'x' }, policy).riskMarker]).toEqual([channel, expected]);
    }
    // A force that actions webchat transcripts as submissions marks them IR too.
    const withWebchat = { digitalActionChannels: [...policy.digitalActionChannels, Channel.Webchat] };
    expect(screenContact({ channel: Channel.Webchat, flags: [RiskFlag.Weapon], narrative: 'x' }, withWebchat).riskMarker).toBe('IR');
  });

  it('leaves a routine digital submission unmarked', () => {
    expect(screenContact({ channel: Channel.WebForm, flags: [], narrative: 'My bicycle was taken from the shed last week' }, policy)).toEqual({
      riskMarker: null,
      domesticAbuse: false,
      sexualOffence: false,
      vulnerable: false,
      reasons: [],
    });
  });

  it('marks vulnerability from flags and from self-harm in the narrative', () => {
    expect(screenContact({ channel: Channel.Sms, flags: [RiskFlag.RepeatCaller], narrative: 'noise again' }, policy).vulnerable).toBe(true);
    expect(screenContact({ channel: Channel.WebForm, flags: [], narrative: 'he said he wants to end his life' }, policy)).toMatchObject({ vulnerable: true, riskMarker: 'IR' });
  });

  it('gives reasons as codes, never words of the narrative', () => {
    const { reasons } = screenContact({ channel: Channel.WebForm, flags: [], narrative: 'Mr Smith at 4 Elm Road has a gun' }, policy);
    expect(reasons.join(' ')).not.toMatch(/Smith|Elm/);
  });
});
