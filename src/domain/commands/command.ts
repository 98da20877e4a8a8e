import { type ActorRef } from '../actor.js';
import { type ClockBook, type ClockStep, type TimelineEntry } from '../clocks.js';
import { type ContactCaseState, type Rejection } from '../contact-case.js';
import { type FieldProblem } from '../channels.js';
import { type ContactPolicy } from '../policy.js';
import { type Permission } from '../permissions.js';
import { type Role } from '../roles.js';
import { type z } from 'zod';
import { type SchemaKit } from '../fields.js';

/** What a command is applied with: the case before it, who gave it, when, under which policy. */
export interface CommandContext {
  state: ContactCaseState;
  actor: ActorRef;
  now: string;
  nowMs: number;
  policy: ContactPolicy;
}

/** The case's clocks as a command changes them: each step starts from the book the one before left. */
export interface ClockPlan {
  readonly book: ClockBook;
  then(step: ClockStep): void;
}

/**
 * Everything one case command is, in one module: its shape (`C`, what the workflow update carries),
 * its rule (why it is refused now), its effect on the case's state with the timeline entries that
 * record it, and what it does to the clocks. The registry (`./index.ts`) lists every module, and
 * the command union is derived from it: a command is what its module says it is.
 */
export interface CaseCommandDefinition<C extends { type: string }> {
  /** The command's type, as its shape names it. */
  type: C['type'];
  /** The name of the workflow update that carries the command: histories record it, so it is never renamed. */
  update: string;
  /** Why the command cannot be applied to the case now (a closed case is refused before this), or null. */
  reject(state: ContactCaseState, command: C, actor: ActorRef): Rejection | null;
  /** Changes `next` (a copy of the case to change) and returns the entries that record the command, its own first. */
  apply(next: ContactCaseState, command: C, context: CommandContext): TimelineEntry[];
  /** What the command does to the clocks, after a change of grade has had its effect on them. */
  clocks?(plan: ClockPlan, command: C, context: CommandContext & { next: ContactCaseState }): void;
  /**
   * How a person gives the command through the API, when they do (the API derives the route, its
   * validation and its document from it). Left out for a command no handler sends this way: the
   * connectors', the intake's, one another command's request gives, one with a route of its own.
   */
  request?: CommandRequest<{ type: string }>;
}

/** Who gives a command through the API: their identity-provider subject and their roles. */
export interface Giver {
  subject: string;
  roles: readonly Role[];
}

/**
 * What a request's body becomes: the command, with the role it is given in when that is not the
 * caller's first (a supervisor acts in their supervising role); or the request's refusal (403) for
 * who asks, where the permission alone does not say it (a handler may claim a case, not assign it).
 */
export type Given<C> = { command: C; actingAs?: Role } | { forbidden: string };

/**
 * A command's request: `POST /contacts/{reference}/<resource>` with a body, by those who hold the
 * permission. The names (operation, body, resource) are the API's contract: clients generate code
 * from them, so none is ever renamed.
 */
export interface CommandRequest<C, Body = unknown> {
  /** The OpenAPI operation is `ContactsController_<operation>`. */
  operation: string;
  /** The body's schema's name in the document. */
  bodyName: string;
  /** The path under the case: `POST /contacts/{reference}/<resource>`. */
  resource: string;
  permission: Permission;
  summary: string;
  /**
   * The request body's schema, built with the kit the API hands in (the schema library and the
   * fields people fill in): validation, the document and the type all come from it. Built by the
   * API, never here: the workflow's code imports this module, and each new workflow evaluates the
   * modules it imports afresh, so the schema library is kept out of it (lint holds the domain to
   * type-only imports of it).
   */
  body(kit: SchemaKit): z.ZodType<Body>;
  /** States 201 explicitly (the routes that did before the derivation; the answer is 201 either way). */
  explicitCreated?: boolean;
  /** The command the body becomes. */
  given(body: Body, giver: Giver): Given<C>;
}

/**
 * A command's request, its body typed from its schema: `commandRequest<MyCommand>()({ ... })`
 * (the command's type is named, the body's inferred).
 */
export const commandRequest =
  <C>() =>
  <S extends z.ZodType>(request: Omit<CommandRequest<C, z.output<S>>, 'body'> & { body(kit: SchemaKit): S }): CommandRequest<C> =>
    request;

/** Refused because of the case's stage (409). */
export const stageConflict = (state: ContactCaseState, message: string): Rejection => ({
  kind: 'stage',
  message: `Case ${state.reference} is at stage ${state.stage}: ${message}`,
  fields: [],
});

/** Refused because of the case's state in another respect (409), in words of its own. */
export const conflict = (message: string, fields: FieldProblem[] = []): Rejection => ({ kind: 'stage', message, fields });

/** Refused because of what the command says (422). */
export const invalid = (message: string, fields: FieldProblem[] = []): Rejection => ({ kind: 'invalid', message, fields });

/** Taken whenever the case is open. */
export const alwaysAllowed = (): null => null;

/** The refusal of a command naming a clock the case does not have. */
export const noSuchClock = (state: ContactCaseState, id: string): Rejection =>
  invalid(`No clock ${id} on this case`, [{ field: 'clock', message: `one of ${state.clocks.map((c) => c.id).join(', ') || '(none)'}` }]);
