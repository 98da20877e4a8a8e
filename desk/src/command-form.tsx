// A form that sends one request: its fields from the document, an Idempotency-Key of its own (a
// double click or a resend changes nothing twice), and what the API refuses shown at the field it
// names, with a summary at the top that links to each.
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { ApiRefusal, newIdempotencyKey, type Schemas } from './api';
import { completed, fieldId, type FormValue, SchemaFields, useDocument } from './schema-form';

export interface CommandFormProps {
  title: string;
  schema: keyof Schemas;
  submitLabel: string;
  initial?: FormValue;
  hidden?: string[];
  /** Sends the body with the form's key; throws ApiRefusal when refused. */
  send: (body: FormValue, idempotencyKey: string) => Promise<unknown>;
  onDone?: (result: unknown) => void;
  /** Shown under the title. */
  children?: ReactNode;
  /** Asked before sending (the caller check): returns false to hold the form back. */
  beforeSend?: (body: FormValue) => Promise<boolean>;
}

/** What a refusal means to the person, in words. */
export function refusalWords(error: unknown): string {
  if (!(error instanceof ApiRefusal)) return 'The system could not be reached: nothing was sent. Try again.';
  if (error.status === 401) return 'Your sign-in has ended: sign in again.';
  if (error.status === 403) return `You may not do this: ${error.message}`;
  if (error.status === 404) return 'No such case.';
  if (error.status === 409) return `Not done: ${error.message}`;
  if (error.status === 429) return 'Too many requests just now: wait a moment and try again.';
  return error.message;
}

export function CommandForm({ title, schema, submitLabel, initial, hidden, send, onDone, children, beforeSend }: CommandFormProps): ReactNode {
  const prefix = `f${useId().replaceAll(':', '')}`;
  const [value, setValue] = useState<FormValue>(initial ?? {});
  const [key, setKey] = useState(newIdempotencyKey);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const document = useDocument();
  // Each refusal moves the focus to its summary, so that a keyboard or screen reader user hears it.
  const [shownCount, setShown] = useState(0);
  useEffect(() => {
    if (shownCount > 0) summary.current?.focus();
  }, [shownCount]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setDone(null);
    try {
      const body = document.data ? completed(document.data, document.data.components.schemas[schema], value) : value;
      if (beforeSend && !(await beforeSend(body))) return;
      const result = await send(body, key);
      setErrors({});
      setProblem(null);
      setValue(initial ?? {});
      setKey(newIdempotencyKey());
      setDone(`${title}: done.`);
      onDone?.(result);
    } catch (error) {
      setErrors(error instanceof ApiRefusal ? error.fields : {});
      setProblem(refusalWords(error));
      setShown((count) => count + 1);
    } finally {
      setSending(false);
    }
  }

  const listed = Object.entries(errors);
  return (
    <form className="command" onSubmit={(event) => void submit(event)} noValidate aria-label={title}>
      {children}
      {problem && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
          <h3>There is a problem</h3>
          <p>{problem}</p>
          {listed.length > 0 && (
            <ul>
              {listed.map(([field, message]) => (
                <li key={field}>
                  <a href={`#${fieldId(prefix, field.split('.'))}`} onClick={(event) => {
                    event.preventDefault();
                    globalThis.document.getElementById(fieldId(prefix, field.split('.')))?.focus();
                  }}>
                    {field}: {message}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <SchemaFields schema={schema} value={value} onChange={setValue} errors={errors} hidden={hidden} prefix={prefix} />
      <button type="submit" className="button" aria-disabled={sending}>
        {submitLabel}
      </button>
      {done && (
        <p className="done" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
