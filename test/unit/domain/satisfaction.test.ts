import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../src/domain/channels.js';
import { type SatisfactionRule, surveyInvitation, surveyRoute } from '../../../src/domain/satisfaction.js';

const rule: SatisfactionRule = { askAtMostEveryDays: 90, linkValidHours: 72 };

describe('who is asked how it went, and how', () => {
  it('never asks an anonymous caller, one who said no, or a channel the policy leaves out', () => {
    expect(surveyRoute(rule, Channel.WebForm, { anonymous: true, email: 'a@example.org' }, false)).toEqual({ notAsked: 'anonymous' });
    expect(surveyRoute(rule, Channel.Webchat, { surveyOptOut: true }, true)).toEqual({ notAsked: 'opted-out' });
    expect(surveyRoute({ ...rule, channels: [Channel.WebForm] }, Channel.Email, { email: 'a@example.org' }, false)).toEqual({ notAsked: 'channel-not-asked' });
    expect(surveyRoute(rule, Channel.Letter, {}, false)).toEqual({ notAsked: 'no-way-to-reach' });
  });

  it("answers in the conversation, calls a caller back, else writes to what they gave, e-mail first", () => {
    expect(surveyRoute(rule, Channel.SocialMedia, {}, true)).toEqual({ route: 'conversation' });
    expect(surveyRoute(rule, Channel.NonEmergencyCall, { phone: '07700 900123', email: 'a@example.org' }, false)).toEqual({ route: 'call-back' });
    expect(surveyRoute(rule, Channel.NonEmergencyCall, { email: 'a@example.org' }, false)).toEqual({ route: 'email' });
    expect(surveyRoute(rule, Channel.WebForm, { phone: '07700 900123', email: 'a@example.org' }, false)).toEqual({ route: 'email' });
    expect(surveyRoute(rule, Channel.EmergencyText, { phone: '07700 900123' }, false)).toEqual({ route: 'sms' });
  });

  it('invites with the link alone: nothing of the case', () => {
    expect(surveyInvitation('https://contact.example/survey/abc', 72)).toBe(
      'Thank you for contacting the police. How did we do? Please tell us in a minute: https://contact.example/survey/abc (open for 72 hours, one answer).',
    );
  });
});
