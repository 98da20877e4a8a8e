// A case: its head, its clocks with the time left, what can be done to it now (each a form drawn
// from the request's schema, shown to those whose roles allow it), the conversation with a reply
// box, its alerts and its timeline.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { answer, api, ApiRefusal, type CaseView, type Schemas } from './api';
import { CommandForm, refusalWords } from './command-form';
import { type Document, type FormValue, useDocument, words } from './schema-form';
import { Countdown, Flags, useClaim } from './queue';
import { useNow } from './live';
import { Permission, type Person } from './session';

/** A command a person gives a case: a POST under /contacts/{reference}/, read from the API's document. */
interface CaseAction {
  title: string;
  summary: string;
  path: string;
  schema: keyof Schemas;
  permission: Permission;
}

const COMMAND_PATH = /^\/api\/v1\/contacts\/\{reference\}\/([a-z-]+)$/;
/** Given their own place on the screen: the reply under the conversation, the claim in the head. */
const placedApart = new Set(['messages']);

/**
 * Every case command the document offers, with its body's schema and the permission it needs: a
 * command added to the API appears here with no change to the desk.
 */
export function caseActions(document: Document): CaseAction[] {
  return Object.entries(document.paths).flatMap(([path, item]) => {
    const resource = COMMAND_PATH.exec(path)?.[1];
    const operation = item.post;
    const body = operation?.requestBody?.content?.['application/json']?.schema?.$ref;
    if (!resource || placedApart.has(resource) || !operation?.['x-permission'] || !body) return [];
    const name = (operation.operationId ?? resource).replace(/^.*_/, '');
    return [{ title: words(name), summary: operation.summary ?? '', path, schema: body.replace('#/components/schemas/', '') as keyof Schemas, permission: operation['x-permission'] as Permission }];
  });
}

const isOpen = (view: CaseView) => view.case.stage !== 'closed';

/** When a command is worth offering, where it is not always (the API decides in the end). */
const offeredWhen: Record<string, (view: CaseView) => boolean> = {
  '/api/v1/contacts/{reference}/risk-reviews': (view) => view.case.assessmentCount === 0,
  '/api/v1/contacts/{reference}/downgrade-approvals': (view) => view.case.pendingGrade !== null,
  '/api/v1/contacts/{reference}/clock-pauses': (view) => view.case.clocks.some((clock) => clock.state === 'running' || clock.state === 'paused'),
};

async function sendCommand(path: string, reference: string, body: FormValue, key: string) {
  // The route and body come from the document at run time, so they are checked by the API, not here.
  return answer(await api.POST(path as '/api/v1/contacts/{reference}/notes', { params: { path: { reference }, header: { 'Idempotency-Key': key } }, body: body as never }));
}

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }) : '');

export function CaseScreen({ person, reference }: { person: Person; reference: string }): ReactNode {
  const client = useQueryClient();
  const now = useNow();
  const heading = useRef<HTMLHeadingElement>(null);
  const view = useQuery({
    queryKey: ['case', reference],
    queryFn: async ({ signal }) => answer(await api.GET('/api/v1/contacts/{reference}', { params: { path: { reference } }, signal })),
    refetchInterval: 10_000,
  });
  const claim = useClaim(person);
  const document = useDocument();
  // A new case on screen: the focus goes to its heading, where a screen reader starts reading.
  const loaded = view.data !== undefined || view.isError;
  useEffect(() => heading.current?.focus(), [reference, loaded]);
  const changed = () => Promise.all([client.invalidateQueries({ queryKey: ['case', reference] }), client.invalidateQueries({ queryKey: ['queue'] })]);
  /** A command sent; refused because the case moved on (409: closed, taken), the screen is read again. */
  const command = async (path: string, body: FormValue, key: string) => {
    try {
      return await sendCommand(path, reference, body, key);
    } catch (error) {
      if (error instanceof ApiRefusal && error.status === 409) void changed();
      throw error;
    }
  };

  if (view.isError) {
    return (
      <section>
        <h1 ref={heading} tabIndex={-1}>
          {reference}
        </h1>
        <p className="notice notice-problem" role="alert">
          {refusalWords(view.error)}
        </p>
      </section>
    );
  }
  if (!view.data) return <p role="status">Loading {reference}…</p>;
  const { case: head, messages, timeline } = view.data;
  const offered = isOpen(view.data) && document.data ? caseActions(document.data).filter((action) => person.can(action.permission) && (offeredWhen[action.path]?.(view.data) ?? true)) : [];

  return (
    <section aria-labelledby="case-title">
      <h1 id="case-title" ref={heading} tabIndex={-1}>
        {head.reference} <Flags entry={{ riskMarker: head.screening.riskMarker, domesticAbuse: head.flags.includes('domestic-abuse'), sexualOffence: head.flags.includes('sexual-offence'), vulnerable: head.flags.includes('vulnerable-person') }} />
      </h1>
      <dl className="head">
        <dt>Channel</dt>
        <dd>{words(head.channel)}</dd>
        <dt>Stage</dt>
        <dd id="case-stage">{words(head.stage)}</dd>
        <dt>Grade</dt>
        <dd id="case-grade">
          {head.grade ?? 'not graded'}
          {head.pendingGrade !== null && ` (downgrade to ${head.pendingGrade} waits for approval)`}
        </dd>
        <dt>With</dt>
        <dd id="case-assignee">
          {head.assignee} ({head.team})
          {person.can(Permission.ContactClaim) && head.assignee !== person.subject && head.stage !== 'closed' && (
            <button type="button" className="button button-secondary inline" onClick={() => void claim.mutateAsync(head).then(changed, changed)}>
              Claim
            </button>
          )}
        </dd>
        <dt>Received</dt>
        <dd>{when(head.receivedAt)}</dd>
        <dt>Next deadline</dt>
        <dd>
          <Countdown due={head.nextDueAt} now={now} />
        </dd>
        {head.resolution && (
          <>
            <dt>Outcome</dt>
            <dd>{words(String((head.resolution as { outcome?: string }).outcome ?? ''))}</dd>
          </>
        )}
      </dl>
      {claim.isError && (
        <p className="notice notice-problem" role="alert">
          {refusalWords(claim.error)}
        </p>
      )}

      <h2>Clocks</h2>
      <table>
        <caption className="visually-hidden">The case's clocks</caption>
        <thead>
          <tr>
            <th scope="col">Clock</th>
            <th scope="col">State</th>
            <th scope="col">Due</th>
            <th scope="col">Time left</th>
          </tr>
        </thead>
        <tbody>
          {head.clocks.map((clock) => (
            <tr key={clock.id}>
              <th scope="row">{clock.label}</th>
              <td>{words(clock.state)}</td>
              <td>{when(clock.dueAt)}</td>
              <td>{clock.state === 'running' ? <Countdown due={clock.dueAt} now={now} /> : <span className="muted">{clock.state === 'paused' ? 'paused' : '–'}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {offered.length > 0 && (
        <>
          <h2>Work the case</h2>
          {offered.map((action) => (
            <details className="action" key={action.path}>
              <summary>{action.title}</summary>
              <CommandForm title={action.title} schema={action.schema} submitLabel={action.title} send={(body, key) => command(action.path, body, key)} onDone={() => void changed()}>
                <p className="hint">{action.summary}</p>
              </CommandForm>
            </details>
          ))}
        </>
      )}

      {head.conversation && (
        <>
          <h2>Conversation</h2>
          <ol className="thread">
            {messages.map((message) => (
              <li key={message.id} className={message.direction === 'inbound' ? 'message message-in' : 'message message-out'}>
                <p className="muted">
                  {message.direction === 'inbound' ? `From ${message.handle ?? 'the caller'}` : `Sent by ${message.by?.subject ?? 'the system'}`} · {when(message.sentAt)}
                  {message.direction === 'outbound' && ` · ${words(message.deliveryState ?? '')}`}
                </p>
                <p>{message.text}</p>
              </li>
            ))}
          </ol>
          {isOpen(view.data) && person.can(Permission.ContactReply) && (
            <CommandForm title="Reply" schema="ReplyDto" submitLabel="Send the reply" send={async (body, key) => answer(await api.POST('/api/v1/contacts/{reference}/messages', { params: { path: { reference }, header: { 'Idempotency-Key': key } }, body: { text: typeof body.text === 'string' ? body.text : '' } }))} onDone={() => void changed()} />
          )}
        </>
      )}

      {head.openAlerts.length > 0 && (
        <>
          <h2>Open alerts</h2>
          <ul>
            {head.openAlerts.map((alert) => (
              <li key={alert.id}>
                {words(alert.kind)} on {alert.clock}, level {alert.level}, for the {words(alert.role).toLowerCase()}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Timeline</h2>
      <table>
        <caption className="visually-hidden">What happened to the case, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((entry) => (
            <tr key={entry.id}>
              <td>{when(entry.at)}</td>
              <td>{words(entry.type)}</td>
              <td>{entry.by.subject}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
