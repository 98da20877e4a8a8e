import { ApiProperty, DECORATORS } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

/** One class-validator rule on a property, as the library records it. */
interface Rule {
  type: string;
  name?: string;
  target: unknown;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

/** What a rule says in JSON Schema terms. */
type Fragment = Record<string, unknown>;

const regexSource = (value: unknown): string => {
  if (!(value instanceof RegExp)) throw new Error('a Matches rule without a RegExp cannot be described');
  // JSON Schema patterns have no flags: a rule with one would validate differently from its document.
  if (value.flags.replace('u', '') !== '') throw new Error(`pattern /${value.source}/${value.flags}: write it without flags, so the document can say it exactly`);
  return value.source;
};

const enumValues = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value;
  // A TypeScript enum object: its values (a numeric enum also maps names back, which are left out).
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.filter(([key]) => !/^\d+$/.test(key)).map(([, member]) => member);
};

/**
 * How each class-validator rule used by the API reads in the OpenAPI document. A rule missing here
 * fails the start of the API, so that a new rule cannot quietly leave the document looser than
 * the validation.
 */
const describers: Record<string, (constraints: unknown[]) => Fragment> = {
  matches: ([pattern]) => ({ type: 'string', pattern: regexSource(pattern) }),
  isLength: ([min, max]) => ({ type: 'string', minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  maxLength: ([max]) => ({ type: 'string', maxLength: max }),
  minLength: ([min]) => ({ type: 'string', minLength: min }),
  isNotEmpty: () => ({ minLength: 1 }),
  isString: () => ({ type: 'string' }),
  isEmail: () => ({ type: 'string', format: 'email' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isIn: ([values]) => ({ enum: enumValues(values) }),
  isEnum: ([values]) => ({ enum: enumValues(values) }),
  isInt: () => ({ type: 'integer' }),
  min: ([minimum]) => ({ minimum }),
  max: ([maximum]) => ({ maximum }),
  isBoolean: () => ({ type: 'boolean' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isArray: () => ({ type: 'array' }),
  arrayMaxSize: ([max]) => ({ type: 'array', maxItems: max }),
  arrayMinSize: ([min]) => ({ type: 'array', minItems: min }),
  arrayUnique: () => ({ type: 'array', uniqueItems: true }),
  // A nested object keeps its class's schema (a reference), which says more than `object`.
  isObject: () => ({}),
};

/** Rules that shape validation without a schema keyword of their own. */
const structural = new Set(['conditionalValidation', 'nestedValidation', 'whitelistValidation', 'isDefined']);

type ValidatedClass = abstract new (...args: never[]) => unknown;

/**
 * Every class that class-validator checks, with its rules by property. Read from the library's
 * metadata store, which holds them in a map by class.
 */
function validatedClasses(): Map<ValidatedClass, Rule[]> {
  const store = (getMetadataStorage() as unknown as { validationMetadatas?: unknown }).validationMetadatas;
  if (!(store instanceof Map)) throw new Error('class-validator keeps its rules in an unexpected form: the OpenAPI document cannot be derived from them');
  return store as Map<ValidatedClass, Rule[]>;
}

/**
 * The property's schema as its validation rules say it: the rules of the whole class, merged.
 * A format given by hand (`date` rather than `date-time`) is kept where the rule allows both.
 */
export function describeProperty(rules: readonly Rule[]): { schema: Fragment; items: Fragment; required: boolean } {
  const schema: Fragment = {};
  const items: Fragment = {};
  let required = true;
  for (const rule of rules) {
    const name = rule.type === 'customValidation' ? (rule.name ?? '') : rule.type;
    if (rule.type === 'conditionalValidation') {
      required = false;
      continue;
    }
    if (structural.has(rule.type) || structural.has(name)) continue;
    const describe = describers[name];
    if (!describe) throw new Error(`class-validator rule "${name}" on ${String((rule.target as { name?: string }).name)}.${rule.propertyName} has no OpenAPI description`);
    Object.assign(rule.each ? items : schema, describe(rule.constraints ?? []));
  }
  if (schema.minLength !== undefined && items.type === undefined && schema.type === undefined) schema.type = 'string';
  return { schema, items, required };
}

/**
 * Writes every validated class's rules into its OpenAPI property metadata, before the document is
 * made: the document's patterns, lengths, formats, enums, bounds and required lists are those the
 * validation applies, from the same decorators.
 */
export function describeValidationInOpenApi(): void {
  for (const [target, rules] of validatedClasses()) {
    if (typeof target !== 'function') continue;
    const byProperty = new Map<string, Rule[]>();
    for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
    for (const [property, propertyRules] of byProperty) {
      const { schema, items, required } = describeProperty(propertyRules);
      const isArray = schema.type === 'array';
      const existing = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target.prototype as object, property) as Fragment | undefined;
      const options: Fragment = { ...schema, required };
      // An ISO 8601 rule takes a date or a date-time: a property documented as a date stays one.
      if (existing?.format === 'date' && schema.format === 'date-time') options.format = 'date';
      if (isArray) {
        delete options.type;
        options.isArray = true;
        if (items.enum) options.enum = items.enum;
        const itemType = items.type;
        if (itemType) options.type = itemType;
      }
      ApiProperty(options)(target.prototype as object, property);
    }
  }
}
