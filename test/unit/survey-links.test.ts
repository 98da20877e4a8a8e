import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config.js';
import { SurveyLinks } from '../../src/modules/satisfaction/survey-links.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('satisfaction survey links', () => {
  const links = new SurveyLinks(loadConfig({ NODE_ENV: 'test', CALLER_IDENTITY_KEYS: `k1:${randomBytes(32).toString('base64')}`, SURVEY_BASE_URL: 'https://contact.example.police.uk' }));

  it('verifies a link it made, and refuses it altered at any character, the last included', () => {
    const id = randomUUID();
    const token = links.link(id, new Date(Date.now() + 3_600_000)).replace('https://contact.example.police.uk/survey/', '');
    expect(links.verified(token)).toEqual({ id, expires: expect.any(Number) });
    // The last of the signature's 43 characters carries two bits a decoder ignores: every other
    // character there must still be refused, as must a change anywhere else.
    const others = [...BASE64URL].filter((character) => character !== token.at(-1));
    const altered = [...others.map((character) => token.slice(0, -1) + character), token.replace(/\.(.)/, (_, first: string) => `.${first === '1' ? '2' : '1'}`)];
    expect(altered.filter((forged) => links.verified(forged) !== null)).toEqual([]);
  });
});
