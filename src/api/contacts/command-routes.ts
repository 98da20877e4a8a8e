import { applyDecorators, Body, Headers, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { type CaseCommand } from '../../domain/contact-case.js';
import { CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { commandRoutes } from './commands/index.js';
import { type Caller } from './commands/route.js';
import { CaseStateView } from './contacts.views.js';

export type { Caller } from './commands/route.js';

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

/**
 * Gives the controller a handler for each route of the table, with the decorators a handler
 * written by hand would carry (route, permission, document, parameters), so that Nest routes it
 * and the OpenAPI document describes it as one.
 */
export function addCommandRoutes(controller: Type<CommandRunner>): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const definition of Object.values(commandRoutes)) {
    if (!definition) continue;
    const route = definition;
    if (Object.hasOwn(prototype, route.name)) throw new Error(`${controller.name} already has a handler ${route.name}`);
    const handler = function (this: CommandRunner, reference: string, body: unknown, actor: Caller, key?: string) {
      const given = route.given(body, actor);
      return this.runCommand(reference, given.command, given.actor ?? actor, key);
    };
    Object.defineProperty(handler, 'name', { value: route.name });
    // What TypeScript would record for `(reference: string, body: Dto, actor: Caller, key?: string)`:
    // the validation pipe and the document read the body's schema from it.
    Reflect.defineMetadata('design:paramtypes', [String, route.body, Object, String], prototype, route.name);
    Reflect.defineMetadata('design:returntype', Promise, prototype, route.name);
    PathParam('reference')(prototype, route.name, 0);
    Body()(prototype, route.name, 1);
    CurrentActor()(prototype, route.name, 2);
    Headers('idempotency-key')(prototype, route.name, 3);
    const decorators = [
      Post(`:reference/${route.path}`),
      ...(route.explicitCreated ? [HttpCode(201)] : []),
      RequirePermission(route.permission),
      ApiOperation({ summary: route.summary }),
      commandResponses(),
    ];
    const descriptor = Reflect.decorate(decorators, prototype, route.name, { value: handler, writable: true, enumerable: false, configurable: true });
    Object.defineProperty(prototype, route.name, descriptor);
  }
}
