// The queue: the API's order (IR first, then grade and due time), a page at a time, each case's
// next deadline counting down, and a claim button. Live: the alert stream (or, for those who do not
// read alerts, a poll) brings it up to date.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { answer, api, newIdempotencyKey, type QueueEntry, type Schemas } from './api';
import type { paths } from './api-schema';
import { CommandForm, refusalWords } from './command-form';
import { useDocument, words } from './schema-form';
import { timeLeft, useNow } from './live';
import { Permission, type Person } from './session';

const PAGE = 50;

export interface QueueFilters {
  mine: boolean;
  myTeam: boolean;
  team: string;
  channel: string;
  ir: boolean;
  stage: string;
}

const noFilters: QueueFilters = { mine: false, myTeam: false, team: '', channel: '', ir: false, stage: '' };

const TEAM = 'desk.team';
/** The team the person said they work for (with their presence), kept for this tab. */
export const myTeam = () => sessionStorage.getItem(TEAM) ?? '';

type QueueQuery = NonNullable<paths['/api/v1/contacts']['get']['parameters']['query']>;

export function queueQuery(filters: QueueFilters, subject: string, offset: number, team: string): QueueQuery {
  return {
    limit: PAGE,
    offset,
    ...(filters.mine ? { assignee: subject } : {}),
    ...(filters.myTeam && team ? { team } : filters.team ? { team: filters.team } : {}),
    ...(filters.channel ? { channel: filters.channel as QueueQuery['channel'] } : {}),
    ...(filters.ir ? { riskMarker: 'IR' as const } : {}),
    ...(filters.stage ? { stage: filters.stage as QueueQuery['stage'] } : {}),
  };
}

export function useClaim(person: Person) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (entry: Pick<QueueEntry, 'reference' | 'assignee'>) =>
      answer(
        await api.POST('/api/v1/contacts/{reference}/assignment', {
          params: { path: { reference: entry.reference }, header: { 'Idempotency-Key': newIdempotencyKey() } },
          body: { assignee: person.subject, reason: 'claim', ifAssignee: entry.assignee },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ['queue'] }),
  });
}

export function Flags({ entry }: { entry: Pick<QueueEntry, 'riskMarker' | 'domesticAbuse' | 'sexualOffence' | 'vulnerable'> }): ReactNode {
  const flags = [entry.riskMarker === 'IR' && 'IR', entry.domesticAbuse && 'Domestic abuse', entry.sexualOffence && 'Sexual offence', entry.vulnerable && 'Vulnerable'].filter(Boolean) as string[];
  return flags.map((flag) => (
    <span key={flag} className={flag === 'IR' ? 'tag tag-ir' : 'tag'}>
      {flag}
    </span>
  ));
}

export function Countdown({ due, now }: { due: string | null | undefined; now: number }): ReactNode {
  const left = timeLeft(due, now);
  if (!left) return <span className="muted">none</span>;
  return (
    <time dateTime={due ?? undefined} className={left.overdue ? 'overdue' : undefined} title={new Date(due ?? '').toLocaleString('en-GB')}>
      {left.text}
    </time>
  );
}

export function Queue({ person, open }: { person: Person; open: (reference: string) => void }): ReactNode {
  const [filters, setFilters] = useState<QueueFilters>(noFilters);
  const [offset, setOffset] = useState(0);
  const [claimNote, setClaimNote] = useState<{ reference: string; text: string; ok: boolean } | null>(null);
  const [team, setTeam] = useState(myTeam);
  const now = useNow();
  const document = useDocument();
  const channels = (document.data?.components.schemas.QueueEntryView?.properties?.channel?.enum ?? []) as string[];
  const queue = useQuery({
    queryKey: ['queue', filters, offset, team],
    queryFn: async ({ signal }) => answer(await api.GET('/api/v1/contacts', { params: { query: queueQuery(filters, person.subject, offset, team) }, signal })),
    placeholderData: keepPreviousData,
    // The alert stream brings changes that matter at once; the rest within a few seconds.
    refetchInterval: person.can(Permission.AlertRead) ? 10_000 : 5_000,
  });
  const claim = useClaim(person);
  const change = (next: Partial<QueueFilters>) => {
    setFilters({ ...filters, ...next });
    setOffset(0);
  };
  const page = queue.data;

  async function claimIt(entry: QueueEntry) {
    setClaimNote(null);
    try {
      await claim.mutateAsync(entry);
      setClaimNote({ reference: entry.reference, text: `You have ${entry.reference} now.`, ok: true });
    } catch (error) {
      setClaimNote({ reference: entry.reference, text: refusalWords(error), ok: false });
    }
  }

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title" tabIndex={-1}>
        Queue
      </h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter the queue">
        <label className="choice">
          <input type="checkbox" checked={filters.mine} onChange={(event) => change({ mine: event.target.checked })} /> Mine only
        </label>
        {team && (
          <label className="choice">
            <input type="checkbox" checked={filters.myTeam} onChange={(event) => change({ myTeam: event.target.checked })} /> My team ({team})
          </label>
        )}
        <label className="choice">
          <input type="checkbox" checked={filters.ir} onChange={(event) => change({ ir: event.target.checked })} /> IR only
        </label>
        <label>
          Team
          <input className="input" value={filters.team} onChange={(event) => change({ team: event.target.value.trim() })} placeholder="every team" />
        </label>
        <label>
          Channel
          <select className="input" value={filters.channel} onChange={(event) => change({ channel: event.target.value })}>
            <option value="">every channel</option>
            {channels.map((channel) => (
              <option key={channel} value={channel}>
                {words(channel)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stage
          <select className="input" value={filters.stage} onChange={(event) => change({ stage: event.target.value })}>
            <option value="">every stage</option>
            {['triage', 'recording', 'resolution'].map((stage) => (
              <option key={stage} value={stage}>
                {words(stage)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {person.can(Permission.PresenceSet) && (
        <details className="action">
          <summary>Your status{team ? ` (${team})` : ''}</summary>
          <CommandForm
            title="Your status"
            schema="SetPresenceDto"
            submitLabel="Set your status"
            initial={team ? { team } : {}}
            send={async (body) => answer(await api.PUT('/api/v1/presence/me', { body: body as never }))}
            onDone={(result) => {
              const chosen = (result as Schemas['PresenceChangeView']).presence.team;
              sessionStorage.setItem(TEAM, chosen);
              setTeam(chosen);
            }}
          />
        </details>
      )}
      {claimNote && (
        <p className={claimNote.ok ? 'notice' : 'notice notice-problem'} role="alert">
          {claimNote.text}
        </p>
      )}
      {queue.isError && (
        <p className="notice notice-problem" role="alert">
          {refusalWords(queue.error)}
        </p>
      )}
      {page && (
        <>
          <p className="muted" aria-live="polite">
            {page.total === 0 ? 'No cases.' : `Cases ${page.offset + 1} to ${page.offset + page.items.length} of ${page.total.toLocaleString('en-GB')}`}
          </p>
          <table className="queue">
            <caption className="visually-hidden">Cases, most urgent first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Channel</th>
                <th scope="col">Stage</th>
                <th scope="col">Grade</th>
                <th scope="col">Flags</th>
                <th scope="col">With</th>
                <th scope="col">Next deadline</th>
                <th scope="col">
                  <span className="visually-hidden">Claim</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => (
                <tr key={entry.reference} className={entry.breached ? 'breached' : undefined}>
                  <th scope="row">
                    <a href={`#/case/${entry.reference}`} onClick={(event) => {
                      event.preventDefault();
                      open(entry.reference);
                    }}>
                      {entry.reference}
                    </a>
                  </th>
                  <td>{words(entry.channel)}</td>
                  <td>{words(entry.stage)}</td>
                  <td>
                    {entry.grade ?? 'not graded'}
                    {entry.pendingGrade !== null && <span className="muted"> (downgrade to {entry.pendingGrade} asked)</span>}
                  </td>
                  <td>
                    <Flags entry={entry} />
                  </td>
                  <td>
                    {entry.assignee}
                    <span className="muted"> {entry.team}</span>
                  </td>
                  <td>
                    <Countdown due={entry.nextDueAt} now={now} />
                    {entry.breached && <span className="tag tag-breach">breached</span>}
                  </td>
                  <td>
                    {person.can(Permission.ContactClaim) && entry.assignee !== person.subject && entry.stage !== 'closed' && (
                      <button type="button" className="button button-secondary" onClick={() => void claimIt(entry)} aria-label={`Claim ${entry.reference}`}>
                        Claim
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pages" aria-label="Pages of the queue">
            <button type="button" className="button button-secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous page
            </button>
            <button type="button" className="button button-secondary" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
