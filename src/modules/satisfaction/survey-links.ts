import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { loadPayloadKeys } from '../platform/temporal/payload-codec.js';

/**
 * Survey links: `<base>/survey/<survey id>.<expiry in seconds>.<signature>`, the signature
 * HMAC-SHA256 of the id and expiry under a key derived from the caller identity keys (each key is
 * tried, so a rotation keeps open links good). A link names no one; a forged or altered one is unknown.
 */
@Injectable()
export class SurveyLinks {
  private readonly keys: Buffer[];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.keys = loadPayloadKeys(config.callerIdentity.keys).map(({ key }) => createHmac('sha256', key).update('satisfaction-survey-links').digest());
  }

  private signature(key: Buffer, id: string, expires: number): string {
    return createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url');
  }

  /** The link the public opens (the expiry is kept in whole seconds). */
  link(id: string, expiresAt: Date): string {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const base = (this.config.channels.surveyBaseUrl ?? `http://${this.config.api.host}:${this.config.api.port}`).replace(/\/+$/, '');
    return `${base}/survey/${id}.${expires}.${this.signature(this.keys[0], id, expires)}`;
  }

  /** The survey a link's token names and its expiry, if its signature holds. */
  verified(token: string): { id: string; expires: number } | null {
    const match = /^([0-9a-f-]{36})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const [, id, expiresText, given] = match;
    const expires = Number(expiresText);
    // Compared as written, not as decoded: the last of 43 characters carries two bits no decoder
    // reads, so a link with it changed would decode to the same signature. Any altered link is refused.
    const signed = Buffer.from(given, 'ascii');
    const holds = this.keys.some((key) => {
      const expected = Buffer.from(this.signature(key, id, expires), 'ascii');
      return expected.length === signed.length && timingSafeEqual(expected, signed);
    });
    return holds ? { id, expires } : null;
  }
}
