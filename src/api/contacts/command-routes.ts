import { applyDecorators, Body, Headers, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { type z } from 'zod';
import { type CommandRequest } from '../../domain/commands/command.js';
import { caseCommands } from '../../domain/commands/index.js';
import { schemaKit } from '../../domain/fields.js';
import { type CaseCommand } from '../../domain/contact-case.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { CaseStateView } from './contacts.views.js';

export type Caller = NonNullable<AuthenticatedRequest['actor']>;

export const idempotencyHeader = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried request harmless: the same key gives the same result' });

const commandResponses = () =>
  applyDecorators(
    idempotencyHeader,
    ApiResponse({ status: 201, type: CaseStateView, description: "The case's state after the command" }),
    ApiResponse({ status: 400, description: 'Invalid body; `fields` names each invalid field' }),
    ApiResponse({ status: 404, description: 'No such case' }),
    ApiResponse({ status: 409, description: "The case's stage does not allow this command (the stage is named)" }),
    ApiResponse({ status: 422, description: "The case's rules refuse this command (the workflow's update validator)" }),
  );

/** Runs a command on a case: what each route's handler does with what its body became. */
export interface CommandRunner {
  runCommand(reference: string, command: CaseCommand, actor: Caller, key: string | undefined): Promise<CaseStateView>;
}

type Request = CommandRequest<{ type: string }>;

/** A command's request, from its module, with the DTO class its body is validated and documented by. */
export interface CommandRoute {
  request: Request;
  body: Type<unknown>;
}

/** The DTO class of a request's body, named as the document names it. */
function bodyClass(request: Request): Type<unknown> {
  const dto = class extends createZodDto(request.body(schemaKit) as z.ZodType<object>) {};
  Object.defineProperty(dto, 'name', { value: request.bodyName });
  return dto;
}

/**
 * Every case command a person gives through the API, from the command registry: each command
 * module that states its request (`src/domain/commands/`) has a route, and nothing else does.
 */
export const commandRoutes: readonly CommandRoute[] = Object.values(caseCommands).flatMap((definition) =>
  definition.request ? [{ request: definition.request, body: bodyClass(definition.request) }] : [],
);

/** What a request's body becomes for this caller: the command and who gives it, or the request's refusal. */
function commandOf(request: Request, body: unknown, actor: Caller): { command: CaseCommand; actor: Caller } {
  const given = request.given(body, actor);
  if ('forbidden' in given) throw new DomainError(DomainErrorCode.Forbidden, given.forbidden);
  // The module's request is typed on its own command (`commandRequest<C>()`), which is one of the union's.
  return { command: given.command as CaseCommand, actor: given.actingAs ? { ...actor, role: given.actingAs } : actor };
}

/**
 * Gives the controller a handler for each command route, with the decorators a handler written by
 * hand would carry (route, permission, document, parameters), so that Nest routes it and the
 * OpenAPI document describes it as one.
 */
export function addCommandRoutes(controller: Type<CommandRunner>): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const { request, body } of commandRoutes) {
    const name = request.operation;
    if (Object.hasOwn(prototype, name)) throw new Error(`${controller.name} already has a handler ${name}`);
    const handler = function (this: CommandRunner, reference: string, requestBody: unknown, actor: Caller, key?: string) {
      const given = commandOf(request, requestBody, actor);
      return this.runCommand(reference, given.command, given.actor, key);
    };
    Object.defineProperty(handler, 'name', { value: name });
    // What TypeScript would record for `(reference: string, body: Dto, actor: Caller, key?: string)`:
    // the validation pipe and the document read the body's schema from it.
    Reflect.defineMetadata('design:paramtypes', [String, body, Object, String], prototype, name);
    Reflect.defineMetadata('design:returntype', Promise, prototype, name);
    PathParam('reference')(prototype, name, 0);
    Body()(prototype, name, 1);
    CurrentActor()(prototype, name, 2);
    Headers('idempotency-key')(prototype, name, 3);
    const decorators = [
      Post(`:reference/${request.resource}`),
      ...(request.explicitCreated ? [HttpCode(201)] : []),
      RequirePermission(request.permission),
      ApiOperation({ summary: request.summary }),
      commandResponses(),
    ];
    const descriptor = Reflect.decorate(decorators, prototype, name, { value: handler, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(prototype, name, descriptor);
  }
}
