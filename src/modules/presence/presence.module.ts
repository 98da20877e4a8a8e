import { Module } from '@nestjs/common';
import { PresenceService } from './presence.service.js';

/** Staff presence: the supply side of the management information's supply against demand. */
@Module({ providers: [PresenceService], exports: [PresenceService] })
export class PresenceModule {}
