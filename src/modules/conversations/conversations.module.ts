import { Module } from '@nestjs/common';
import { ContactCasesModule } from '../contact-cases/contact-cases.module.js';
import { ConversationsService } from './conversations.service.js';

/** The API's side of conversations: messages in from connectors, replies, the hub and posts. */
@Module({ imports: [ContactCasesModule], providers: [ConversationsService], exports: [ConversationsService] })
export class ConversationsModule {}
