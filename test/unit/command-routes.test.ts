import { describe, expect, it } from '@jest/globals';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { REQUIRED_PERMISSION } from '../../src/api/access/access.decorators.js';
import { commandRoutes } from '../../src/api/contacts/commands/index.js';
import { ContactsController } from '../../src/api/contacts/contacts.controller.js';
import { caseCommands } from '../../src/domain/commands/index.js';

const routes = Object.values(commandRoutes).filter((route) => route !== null);

/** The case commands' routes come from one table: the controller gets a handler for each, as one written by hand. */
describe('the case command routes', () => {
  it('states a route, or why there is none, for every command of the registry', () => {
    expect(Object.keys(commandRoutes).sort()).toEqual(Object.keys(caseCommands).sort());
    expect(routes.length).toBe(13);
  });

  it('gives each route a name and a path of its own', () => {
    expect(new Set(routes.map((route) => route.name)).size).toBe(routes.length);
    expect(new Set(routes.map((route) => route.path)).size).toBe(routes.length);
  });

  it.each(routes.map((route) => [route.name, route] as const))('gives the controller a POST handler %s with its path, permission, body and parameters', (name, route) => {
    const handler = (ContactsController.prototype as unknown as Record<string, unknown>)[name] as object;
    expect(typeof handler).toBe('function');
    expect(Reflect.getMetadata(PATH_METADATA, handler)).toBe(`:reference/${route.path}`);
    expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata(REQUIRED_PERMISSION, handler)).toBe(route.permission);
    expect(Reflect.getMetadata('design:paramtypes', ContactsController.prototype, name)).toEqual([String, route.body, Object, String]);
    const parameters = Reflect.getMetadata(ROUTE_ARGS_METADATA, ContactsController, name) as Record<string, { index: number; data?: unknown }>;
    expect(Object.values(parameters).map((parameter) => [parameter.index, parameter.data ?? null]).sort()).toEqual([
      [0, 'reference'],
      [1, null],
      [2, null],
      [3, 'idempotency-key'],
    ]);
  });
});
