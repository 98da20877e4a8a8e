// Forms drawn from the API's own document: each request body's schema gives the fields, their
// choices, which are required and their limits, so the desk asks for what the API takes and no
// more. The API stays the judge: what it refuses comes back at the field it names.
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import type { Schemas } from './api';

export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: Array<string | number | null>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export interface Operation {
  operationId?: string;
  summary?: string;
  'x-permission'?: string;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export type FormValue = Record<string, unknown>;

/** The API's document, read once: the forms' schemas come from it. */
export function useDocument() {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () => (await (await fetch('/openapi.json')).json()) as Document,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function resolve(document: Document, schema: JsonSchema): JsonSchema {
  if (schema.$ref) return resolve(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length === 1) return { ...resolve(document, schema.allOf[0]), description: schema.description };
  return schema;
}

/** Names that are not read as words. */
const spelled: Record<string, string> = { sms: 'SMS', email: 'E-mail', ir: 'IR', 'web-form': 'Web form', 'face-to-face': 'Face to face', x: 'X' };

/** Words for a field's name or a code: `proposedGrade` → "Proposed grade", `sms` → "SMS". */
export function words(name: string): string {
  if (Object.hasOwn(spelled, name)) return spelled[name];
  const spaced = name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('-', ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const labels: Record<string, string> = {
  narrative: 'What the person reported',
  proposedGrade: 'Grade',
  crimeRecorded: 'Record a crime?',
  ifAssignee: 'Only while the case is with',
  victimSupportOptOut: 'Victim declined victim support',
  noFurtherActionReason: 'Why no further action',
  dateOfBirth: 'Date of birth',
};

/** A union's discriminating field (the one every branch lists choices for), and the branch `value` chose by it. */
function chosenBranch(document: Document, branches: JsonSchema[], value: FormValue): { field?: string; branch?: JsonSchema } {
  const resolved = branches.map((branch) => resolve(document, branch));
  const field = Object.keys(resolved[0]?.properties ?? {}).find((name) => resolved.every((branch) => branch.properties?.[name]?.enum));
  const branch = field === undefined ? undefined : resolved.find((candidate) => candidate.properties?.[field]?.enum?.includes(value[field] as string));
  return { field, branch };
}

function setAt(value: FormValue, path: string[], next: unknown): FormValue {
  const [head, ...rest] = path;
  const copy = { ...value };
  if (rest.length === 0) {
    if (next === undefined || next === '') delete copy[head];
    else copy[head] = next;
  } else copy[head] = setAt((value[head] as FormValue | undefined) ?? {}, rest, next);
  return copy;
}

/** A single value as a form control shows it (objects and lists are never shown this way). */
const shown = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');

const getAt = (value: FormValue, path: string[]): unknown => path.reduce<unknown>((at, key) => (at as FormValue | undefined)?.[key], value);

/** Date-time fields: the browser's local time in, an ISO time with its offset out. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
const toLocal = (iso: unknown) => {
  if (typeof iso !== 'string') return '';
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

interface FieldProps {
  document: Document;
  schema: JsonSchema;
  path: string[];
  required: boolean;
  value: FormValue;
  onChange: (value: FormValue) => void;
  errors: Record<string, string>;
  prefix: string;
  hidden: ReadonlySet<string>;
}

export const fieldId = (prefix: string, path: string[]) => `${prefix}-${path.join('-')}`;

function Field(props: FieldProps): ReactNode {
  const { document, path, required, value, onChange, errors, prefix, hidden } = props;
  const schema = resolve(document, props.schema);
  const name = path.at(-1) ?? '';
  const id = fieldId(prefix, path);
  const key = path.join('.');
  if (hidden.has(key)) return null;
  const error = errors[key];
  const label = `${labels[name] ?? words(name)}${required ? '' : ' (optional)'}`;
  const hint = schema.description && schema.description !== name ? schema.description.replaceAll('`', '') : undefined;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const current = getAt(value, path);
  const set = (next: unknown) => onChange(setAt(value, path, next));
  const head = (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
    </>
  );

  if (schema.oneOf) return <Union {...props} schema={schema} />;
  if (schema.type === 'object' || schema.properties) {
    return (
      <fieldset className={error ? 'group group-error' : 'group'} aria-describedby={described}>
        <legend>{label}</legend>
        {head}
        <Fields {...props} schema={schema} />
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items) {
    const choices = resolve(document, schema.items).enum ?? [];
    const chosen = new Set((current as unknown[] | undefined) ?? []);
    return (
      <fieldset className={error ? 'group group-error' : 'group'} id={id} aria-describedby={described}>
        <legend>{label}</legend>
        {head}
        <div className="choices">
          {choices.map((choice) => (
            <label key={String(choice)} className="choice">
              <input
                type="checkbox"
                checked={chosen.has(choice)}
                onChange={(event) => {
                  const next = choices.filter((item) => (item === choice ? event.target.checked : chosen.has(item)));
                  set(next.length > 0 || required ? next : undefined);
                }}
              />
              {words(String(choice))}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  let control: ReactNode;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined, className: error ? 'input input-error' : 'input' };
  if (schema.enum) {
    const numeric = schema.type === 'integer';
    control = (
      <select {...common} value={shown(current)} onChange={(event) => set(event.target.value === '' ? undefined : numeric ? Number(event.target.value) : event.target.value)}>
        <option value="">Choose…</option>
        {schema.enum
          .filter((choice) => choice !== null)
          .map((choice) => (
            <option key={String(choice)} value={String(choice)}>
              {numeric ? String(choice) : words(String(choice))}
            </option>
          ))}
      </select>
    );
  } else if (schema.type === 'boolean') {
    control = required ? (
      <select {...common} value={shown(current)} onChange={(event) => set(event.target.value === '' ? undefined : event.target.value === 'true')}>
        <option value="">Choose…</option>
        <option value="true">Yes</option>
        <option value="false">No</option>
      </select>
    ) : (
      <input {...common} type="checkbox" className="checkbox" checked={current === true} onChange={(event) => set(event.target.checked ? true : undefined)} />
    );
  } else if (schema.format === 'date-time') {
    control = <input {...common} type="datetime-local" value={toLocal(current)} onChange={(event) => set(toIso(event.target.value))} />;
  } else if (schema.type === 'integer' || schema.type === 'number') {
    control = <input {...common} type="number" inputMode="numeric" min={schema.minimum} max={schema.maximum} value={shown(current)} onChange={(event) => set(event.target.value === '' ? undefined : Number(event.target.value))} />;
  } else if ((schema.maxLength ?? 0) > 500) {
    control = <textarea {...common} rows={3} value={typeof current === 'string' ? current : ''} onChange={(event) => set(event.target.value)} />;
  } else {
    control = <input {...common} type="text" autoComplete="off" spellCheck={name !== 'postcode'} value={typeof current === 'string' ? current : ''} onChange={(event) => set(event.target.value)} />;
  }
  return (
    <div className={error ? 'field field-with-error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {head}
      {control}
    </div>
  );
}

function Fields(props: FieldProps): ReactNode {
  const schema = resolve(props.document, props.schema);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => (
    <Field key={name} {...props} schema={property} path={[...props.path, name]} required={schema.required?.includes(name) ?? false} />
  ));
}

/** A union: its discriminating field first (the channel of a contact), then the chosen branch's fields. */
function Union(props: FieldProps): ReactNode {
  const { document, schema, value, path } = props;
  const branches = schema.oneOf ?? [];
  const { field, branch = { properties: {} } } = chosenBranch(document, branches, (getAt(value, path) as FormValue | undefined) ?? {});
  if (!field) return null;
  const choices = branches.flatMap((candidate) => resolve(document, candidate).properties?.[field]?.enum ?? []).filter((choice) => choice !== null);
  const chosen = getAt(value, [...path, field]);
  const choice: JsonSchema = { type: 'string', enum: choices };
  const rest: JsonSchema = { ...branch, properties: Object.fromEntries(Object.entries(branch.properties ?? {}).filter(([name]) => name !== field)) };
  return (
    <Fragment>
      <Field {...props} schema={choice} path={[...path, field]} required />
      {chosen !== undefined && <Fields {...props} schema={rest} />}
    </Fragment>
  );
}

/**
 * The value as it is sent: a required object or list the person left empty is sent empty (a caller
 * with no details, an incident with no qualifiers), so that the API judges what is inside it.
 */
export function completed(document: Document, schema: JsonSchema, value: FormValue): FormValue {
  const resolved = resolve(document, schema);
  if (resolved.oneOf) {
    const { branch } = chosenBranch(document, resolved.oneOf, value);
    return branch ? completed(document, branch, value) : value;
  }
  const next = { ...value };
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const inner = resolve(document, property);
    const required = resolved.required?.includes(name) ?? false;
    if (inner.type === 'object' || inner.properties || inner.oneOf) {
      if (next[name] !== undefined || required) next[name] = completed(document, inner, (next[name] as FormValue | undefined) ?? {});
    } else if (inner.type === 'array' && required && next[name] === undefined) next[name] = [];
  }
  return next;
}

export interface SchemaFormProps {
  /** The request body's schema, by its name in the document. */
  schema: keyof Schemas;
  value: FormValue;
  onChange: (value: FormValue) => void;
  errors: Record<string, string>;
  /** Fields the desk fills in itself (dotted paths), not shown. */
  hidden?: string[];
  /** Makes the fields' ids unique on the page. */
  prefix: string;
}

export function SchemaFields({ schema, value, onChange, errors, hidden, prefix }: SchemaFormProps): ReactNode {
  const document = useDocument();
  if (!document.data) return <p>Loading the form…</p>;
  const root = document.data.components.schemas[schema];
  if (!root) return <p className="field-error">The API's document has no {schema}.</p>;
  const props: FieldProps = { document: document.data, schema: root, path: [], required: true, value, onChange, errors, prefix, hidden: new Set(hidden) };
  return root.oneOf ? <Union {...props} /> : <Fields {...props} />;
}
