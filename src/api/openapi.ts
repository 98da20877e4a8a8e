import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc, createZodDto } from 'nestjs-zod';
import { restrictedFields } from '../modules/platform/access/field-access.js';
import { DomainErrorCode } from '../modules/platform/errors/domain-error.js';
import { codes, integer } from './common/text.js';
import { TEXT } from '../domain/fields.js';
import { idempotencyKeySchema, type PathParameterName, pathParameters } from './common/params.js';
import { z } from 'zod';

const fieldProblemDtoFields = z.object({
  field: z.string().meta({ description: 'The field, header or parameter, with a path for nested fields (`caller.email`)' }),
  message: z.string(),
});
const fieldProblemDtoSchema = fieldProblemDtoFields.meta({ id: 'FieldProblemDto' });

/** Every error answer's body. */
const errorBodyDtoFields = z.object({
  statusCode: integer().meta({ description: 'The HTTP status again' }),
  error: z.string().meta({ description: 'The status in words' }),
  code: codes([...Object.values(DomainErrorCode), 'method_not_allowed', 'http_error', 'internal_error']).meta({ description: 'What went wrong, for programs' }),
  message: z.string().meta({ description: 'What went wrong, for people' }),
  fields: z.array(fieldProblemDtoSchema).meta({ description: 'Each invalid field (400 and 422)' }).optional(),
});
export const errorBodyDtoSchema = errorBodyDtoFields.meta({ id: 'ErrorBodyDto' });
export class ErrorBodyDto extends createZodDto(errorBodyDtoFields) {}

/** What each error status means when a route does not say more. */
const errorMeanings: Record<number, string> = {
  400: 'The request breaks the document: `fields` names each field, parameter or header at fault',
  401: 'No token, or a token that does not verify',
  403: "None of the caller's roles grants this",
  404: 'No such resource',
  405: 'The path exists but not with this method: `Allow` lists the methods it takes',
  409: "The resource's state does not allow this now",
  413: 'The body is larger than the API takes',
  422: 'A rule the document cannot state refuses the request (a case rule, a time in the future, a reused Idempotency-Key)',
  429: 'Too many requests: see Retry-After',
};

type Operation = {
  parameters?: Array<{ name: string; in: string; description?: string; schema?: Record<string, unknown>; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, { description: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
  security?: unknown[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

function operationsOf(document: OpenAPIObject): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method) => ({ path, method, operation: (item as Record<string, Operation>)[method] })),
  );
}

const schemaName = (ref: string | undefined) => ref?.replace('#/components/schemas/', '');

/** The request body schemas, and every schema they refer to: unknown fields are refused in each. */
function requestSchemas(document: OpenAPIObject, names: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string | undefined) => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    const found = JSON.stringify(document.components?.schemas?.[name] ?? {}).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
    for (const [, child] of found) visit(child);
  };
  names.forEach(visit);
  return seen;
}

const END = '(?!\\n)$';

/**
 * Every pattern as ECMA-262 reads it, whoever reads it: a final `$` is written `(?!\n)$`. The two
 * are the same to JavaScript, but in Python's regular expressions (which API fuzzers and many
 * clients use) a bare `$` also matches before a final line break, so such a reader would think
 * `"+447700900123\n"` valid where the API refuses it. Free text is left as it is: it takes line
 * breaks anywhere, so both readings agree, and each lookahead is one more value a fuzzer's
 * generator has to throw away.
 */
function anchorPatterns(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(anchorPatterns);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (typeof schema.pattern === 'string' && schema.pattern !== TEXT.source && /(^|[^\\])\$$/.test(schema.pattern) && !schema.pattern.endsWith(END)) schema.pattern = `${schema.pattern.slice(0, -1)}${END}`;
  Object.values(schema).forEach(anchorPatterns);
}

/** Every object a request can carry refuses unknown fields: its schema must say so, as the validation does. */
function assertStrict(name: string, node: unknown): void {
  if (Array.isArray(node)) return node.forEach((child) => assertStrict(name, child));
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) throw new Error(`request schema ${name} takes unknown fields: make it a strict object`);
  Object.values(schema).forEach((child) => assertStrict(name, child));
}

/**
 * The document: each request's schema from its zod schema (patterns, lengths, formats, enums,
 * bounds, required fields, rules across fields as schema combinations, unknown fields refused),
 * with, added here:
 * - path parameters and the Idempotency-Key header with their patterns (`pathParameters`);
 * - the error body, and each error status a route can answer.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Police contact case management')
      .setDescription(
        'Contact handling over durable Temporal workflows: intake, triage, recording, resolution and escalation. ' +
          'A 400 means the request breaks this document (`fields` names what); a 422 means a rule the document cannot state refused it.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An access token from the force's identity provider" })
      .build(),
    { extraModels: [ErrorBodyDto] },
  ));
  const schemas = document.components!.schemas!;
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } };

  const bodies: string[] = [];
  for (const { operation } of operationsOf(document)) {
    // A header read with `@Headers()` is listed again, as required: the documented one (`@ApiHeader`) says it.
    const documented = new Set((operation.parameters ?? []).filter((p) => p.in === 'header' && p.description).map((p) => p.name.toLowerCase()));
    operation.parameters = (operation.parameters ?? []).filter((p) => p.in !== 'header' || p.description || !documented.has(p.name.toLowerCase()));
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path' && parameter.name in pathParameters) parameter.schema = { ...pathParameters[parameter.name as PathParameterName].schema };
      if (parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key') parameter.schema = { ...idempotencyKeySchema };
    }
    const body = schemaName(operation.requestBody?.content?.['application/json']?.schema?.$ref);
    if (body) bodies.push(body);

    const statuses = new Set<number>();
    if (body || (operation.parameters ?? []).length > 0) statuses.add(400);
    if (body) statuses.add(413);
    if ((operation.parameters ?? []).some((parameter) => parameter.in === 'path')) statuses.add(404);
    if (operation.security && operation.security.length > 0) [401, 403, 429].forEach((status) => statuses.add(status));
    for (const status of statuses) operation.responses[status] ??= { description: errorMeanings[status] };
    for (const [status, response] of Object.entries(operation.responses)) {
      if (Number(status) >= 400 && Number(status) < 500) response.content = errorContent;
    }
  }

  for (const name of requestSchemas(document, bodies)) assertStrict(name, schemas[name]);
  // OpenAPI 3.0: a nullable enum must list null among its values, or null breaks the schema.
  const allowNull = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(allowNull);
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
    Object.values(schema).forEach(allowNull);
  };
  allowNull(schemas);
  asOpenApi30(schemas);
  // Fields that need more than the route's permission say which (the table of restricted fields).
  for (const [name, fields] of Object.entries(restrictedFields)) {
    const properties = (schemas[name] as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties;
    for (const [field, permission] of Object.entries(fields)) {
      if (!properties?.[field]) throw new Error(`the table of restricted fields names ${name}.${field}, which is not in the OpenAPI document`);
      properties[field]['x-permission'] = permission;
    }
  }
  anchorPatterns(document);
  return document;
}

/**
 * The answers' zod schemas as OpenAPI 3.0 readers expect them: a reference with a note beside it
 * goes in `allOf` (3.0 ignores what sits beside a `$ref`); a nullable reference states its type
 * (3.0 reads `nullable` only beside a `type`); a free-form object says `additionalProperties: true`
 * and nothing of its keys.
 */
function asOpenApi30(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(asOpenApi30);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) asOpenApi30(value);
  if (typeof schema.$ref === 'string' && Object.keys(schema).length > 1) {
    schema.allOf = [{ $ref: schema.$ref }];
    delete schema.$ref;
  }
  if (Array.isArray(schema.allOf) && schema.nullable === true && schema.type === undefined) schema.type = 'object';
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(schema.additionalProperties).length === 0) {
    schema.additionalProperties = true;
    delete schema.propertyNames;
  }
}

/** The methods each documented path takes, to answer 405 with `Allow` for any other. */
export function allowedMethods(document: OpenAPIObject): Array<{ pattern: RegExp; allow: string[] }> {
  return Object.entries(document.paths).map(([path, item]) => {
    const methods = METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method) => method.toUpperCase());
    // A GET also answers HEAD; every path answers OPTIONS (CORS).
    const allow = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return { pattern: new RegExp(`^${source}/?$`), allow };
  });
}

/** Serves the OpenAPI document at /openapi.json and its reading page at /docs. */
export function mountOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
