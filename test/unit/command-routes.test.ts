import { describe, expect, it } from '@jest/globals';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { REQUIRED_PERMISSION } from '../../src/api/access/access.decorators.js';
import { commandRoutes } from '../../src/api/contacts/command-routes.js';
import { ContactsController } from '../../src/api/contacts/contacts.controller.js';
import { caseCommands } from '../../src/domain/commands/index.js';

/** The case commands' routes come from the command registry: the controller gets a handler for each, as one written by hand. */
describe('the case command routes', () => {
  it('gives a route to each command module that states its request, and to no other', () => {
    const requested = Object.values(caseCommands).filter((definition) => definition.request !== undefined);
    expect(commandRoutes.map((route) => route.request)).toEqual(requested.map((definition) => definition.request));
    // The handlers' requests: every command but the connectors', the intake's, the alerts' and the reply.
    expect(requested.map((definition) => definition.type).sort()).toEqual(
      ['add-note', 'assess', 'assign', 'decide-crime', 'decide-downgrade', 'escalate', 'pause-clock', 'record-attendance', 'record-incident', 'refer', 'regrade', 'resolve', 'review-risk'].sort(),
    );
  });

  it('gives each route an operation, a body name and a path of its own', () => {
    for (const key of ['operation', 'bodyName', 'resource'] as const) expect(new Set(commandRoutes.map((route) => route.request[key])).size).toBe(commandRoutes.length);
  });

  it.each(commandRoutes.map((route) => [route.request.operation, route] as const))('gives the controller a POST handler %s with its path, permission, body and parameters', (name, route) => {
    const handler = (ContactsController.prototype as unknown as Record<string, unknown>)[name] as object;
    expect(typeof handler).toBe('function');
    expect(Reflect.getMetadata(PATH_METADATA, handler)).toBe(`:reference/${route.request.resource}`);
    expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata(REQUIRED_PERMISSION, handler)).toBe(route.request.permission);
    expect(Reflect.getMetadata('design:paramtypes', ContactsController.prototype, name)).toEqual([String, route.body, Object, String]);
    expect(route.body.name).toBe(route.request.bodyName);
    const parameters = Reflect.getMetadata(ROUTE_ARGS_METADATA, ContactsController, name) as Record<string, { index: number; data?: unknown }>;
    expect(Object.values(parameters).map((parameter) => [parameter.index, parameter.data ?? null]).sort()).toEqual([
      [0, 'reference'],
      [1, null],
      [2, null],
      [3, 'idempotency-key'],
    ]);
  });
});
