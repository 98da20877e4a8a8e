import { type Type } from '@nestjs/common';
import { type CaseCommand } from '../../../domain/contact-case.js';
import { type Permission } from '../../../modules/platform/access/permissions.js';
import { type AuthenticatedRequest } from '../../access/access.decorators.js';

export type Caller = NonNullable<AuthenticatedRequest['actor']>;

/** What a route's body becomes: the command, and who gives it (a supervisor acts in their supervising role). */
interface Given {
  command: CaseCommand;
  actor?: Caller;
}

/**
 * A case command's route: `POST /contacts/:reference/<path>`, its permission, its body, and the
 * command the body becomes. Each command a handler sends has one, in its own file beside its body's
 * schema; `./index.ts` lists them by command type.
 */
export interface CommandRoute<Body> {
  /**
   * The handler's name: the OpenAPI operation is `ContactsController_<name>`, which clients
   * generate code from, so it is never renamed.
   */
  name: string;
  path: string;
  permission: Permission;
  summary: string;
  /** The request body's schema (a nestjs-zod DTO): validation, the document and the type. */
  body: Type<Body>;
  /** States 201 explicitly (the routes that did before this table; the answer is 201 either way). */
  explicitCreated?: boolean;
  /** The command the body becomes; may refuse (a 4xx naming the field) what the schema cannot say. */
  given(body: Body, actor: Caller): Given;
}

/** A command's route, its body typed from its schema. */
export const commandRoute = <Body>(definition: CommandRoute<Body>): CommandRoute<Body> => definition;
