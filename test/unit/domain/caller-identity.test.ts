import { describe, expect, it } from '@jest/globals';
import { callerIdentifiers, isRepeatCaller, normaliseEmail, normaliseHandle, normalisePhone, phonePattern } from '../../../src/domain/caller-identity.js';
import { Channel, SocialMediaPlatform } from '../../../src/domain/channels.js';

describe('caller identity', () => {
  it.each(['07700 900123', '07700900123', '+44 7700 900123', '+447700900123', '0044 7700 900123', '+44 (0)7700 900123', '(07700) 900-123', '447700900123'])(
    'writes the UK mobile %s as +447700900123',
    (written) => {
      expect(normalisePhone(written)).toBe('+447700900123');
    },
  );

  it('keeps other countries as given, and refuses what is not a number', () => {
    expect(normalisePhone('+33 1 23 45 67 89')).toBe('+33123456789');
    expect(normalisePhone('0121 496 0000')).toBe('+441214960000');
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone('12')).toBeNull();
  });

  it('takes every number the API document admits, and the document admits no number it would refuse', () => {
    // Found by the API fuzzer: admitted by the pattern, five digits, refused by the lookup (a 400 the document did not allow).
    expect(phonePattern.test('+79 8 (47')).toBe(false);
    const admitted = ['+79 8 (478', '123456', '+1 (0)2345', '+44 (0)7700 900123', '1-2-3-4-5-6', `+${'1'.repeat(15)}`, '0121 496 0000  '];
    for (const written of admitted) {
      expect([written, phonePattern.test(written)]).toEqual([written, true]);
      expect([written, normalisePhone(written)]).toEqual([written, expect.stringMatching(/^\+\d{6,17}$/)]);
    }
    for (const refused of ['12345', `+${'1'.repeat(16)}`, '+44 7700 900123 ext', ' 0121 496 0000', '+(0)12345', '(0)12345']) expect([refused, phonePattern.test(refused)]).toEqual([refused, false]);
  });

  it('lower-cases e-mail and handles, without the @ of a handle', () => {
    expect(normaliseEmail('  Sam.Example@Example.ORG ')).toBe('sam.example@example.org');
    expect(normaliseEmail('nobody')).toBeNull();
    expect(normaliseHandle('X', '@Some_One')).toBe('x:some_one');
  });

  it('gives every identifier of a caller, none for an anonymous one, and a handle only on social media', () => {
    const details = { platform: SocialMediaPlatform.X, handle: '@Some_One' };
    expect(callerIdentifiers({ phone: '07700 900123', email: 'A@B.org' }, Channel.SocialMedia, details)).toEqual(['phone:+447700900123', 'email:a@b.org', 'social:x:some_one']);
    expect(callerIdentifiers({ phone: '07700 900123' }, Channel.WebForm, details)).toEqual(['phone:+447700900123']);
    expect(callerIdentifiers({ phone: '07700 900123', anonymous: true })).toEqual([]);
  });

  it('makes a repeat caller at the policy minimum, this contact counted', () => {
    expect(isRepeatCaller({ previousContacts: 1 }, { minimumContacts: 3 })).toBe(false);
    expect(isRepeatCaller({ previousContacts: 2 }, { minimumContacts: 3 })).toBe(true);
  });
});
