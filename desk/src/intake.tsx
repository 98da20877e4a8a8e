// Taking a contact: the form for its channel (the details each channel needs come from the
// document's union on `channel`), the caller's earlier cases and the repeat or vulnerable caller
// warning shown before the case is opened, and one Idempotency-Key per form.
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { answer, api, type Schemas } from './api';
import { CommandForm } from './command-form';
import type { FormValue } from './schema-form';
import { words } from './schema-form';
import { Permission, type Person } from './session';

type History = Schemas['CallerCaseView'][];

export function Intake({ person, opened }: { person: Person; opened: (reference: string) => void }): ReactNode {
  const client = useQueryClient();
  const [checked, setChecked] = useState<{ key: string; history: History } | null>(null);

  /** Before the case opens: the caller's earlier cases, for those allowed to look them up. */
  async function checkCaller(body: FormValue): Promise<boolean> {
    const caller = (body.caller ?? {}) as { phone?: string; email?: string };
    if (!person.can(Permission.CallerLookup) || (!caller.phone && !caller.email)) return true;
    const key = JSON.stringify([caller.phone, caller.email]);
    if (checked?.key === key) return true;
    const found = answer(await api.POST('/api/v1/caller-lookups', { body: { ...(caller.phone ? { phone: caller.phone } : {}), ...(caller.email ? { email: caller.email } : {}) } }));
    setChecked({ key, history: found.items });
    // Nothing known: go on. Something known: the handler reads it first and sends again.
    return found.items.length === 0;
  }

  const history = checked?.history ?? [];
  const repeat = history.length > 0;
  const vulnerable = history.some((item) => item.flags.vulnerable || item.flags.domesticAbuse);
  return (
    <section aria-labelledby="intake-title">
      <h1 id="intake-title" tabIndex={-1}>
        Take a contact
      </h1>
      <CommandForm
        title="Take a contact"
        schema="CreateContactDto"
        submitLabel={repeat ? 'Open the case, having read the history' : 'Open the case'}
        beforeSend={checkCaller}
        send={async (body, key) => answer(await api.POST('/api/v1/contacts', { params: { header: { 'Idempotency-Key': key } }, body: body as never }))}
        onDone={(result) => {
          setChecked(null);
          void client.invalidateQueries({ queryKey: ['queue'] });
          opened((result as Schemas['IntakeView']).reference);
        }}
      >
        {repeat && (
          <div className="warning" role="alert">
            <h2>
              {vulnerable ? 'Repeat caller, vulnerable or domestic abuse before' : 'Repeat caller'}: {history.length} earlier {history.length === 1 ? 'case' : 'cases'}
            </h2>
            <ul>
              {history.slice(0, 10).map((item) => (
                <li key={item.reference}>
                  {item.reference}, {words(item.channel ?? 'unknown')}, {new Date(item.receivedAt).toLocaleDateString('en-GB')}, {item.outcome ? words(item.outcome) : words(item.stage ?? 'open')}
                  {item.flags.vulnerable && ', vulnerable'}
                  {item.flags.domesticAbuse && ', domestic abuse'}
                </li>
              ))}
            </ul>
          </div>
        )}
      </CommandForm>
    </section>
  );
}
