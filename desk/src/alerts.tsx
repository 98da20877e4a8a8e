// Alerts for team leaders and duty inspectors: the open ones addressed to their roles, new ones
// arriving live (with a visible signal and a sound), each acknowledged with an action code; the
// case is a link away for reassigning or regrading.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { answer, api, type AlertView } from './api';
import { CommandForm, refusalWords } from './command-form';
import { words } from './schema-form';
import { Countdown } from './queue';
import { useNow } from './live';
import { Permission, type Person } from './session';

export function Alerts({ person, open, fresh }: { person: Person; open: (reference: string) => void; fresh: ReadonlySet<string> }): ReactNode {
  const client = useQueryClient();
  const now = useNow();
  const alerts = useQuery({
    queryKey: ['alerts'],
    queryFn: async ({ signal }) => answer(await api.GET('/api/v1/alerts', { params: { query: { state: 'open', limit: 200 } }, signal })),
    refetchInterval: 30_000,
  });
  const acknowledged = () => client.invalidateQueries({ queryKey: ['alerts'] });
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title" tabIndex={-1}>
        Alerts
      </h1>
      {alerts.isError && (
        <p className="notice notice-problem" role="alert">
          {refusalWords(alerts.error)}
        </p>
      )}
      {alerts.data?.items.length === 0 && <p>No open alerts.</p>}
      <ul className="alerts">
        {alerts.data?.items.map((alert: AlertView) => (
          <li key={alert.id} id={`alert-${alert.id}`} className={fresh.has(alert.id) ? 'alert alert-new' : 'alert'}>
            <h2>
              {fresh.has(alert.id) && <span className="tag tag-breach">New</span>} {words(alert.kind)}: {alert.clock ?? 'raised by hand'}, level {alert.level}
            </h2>
            <p>
              Case{' '}
              <a href={`#/case/${alert.reference}`} onClick={(event) => {
                event.preventDefault();
                open(alert.reference);
              }}>
                {alert.reference}
              </a>{' '}
              in {alert.team}, for the {words(alert.role).toLowerCase()}. Raised {new Date(alert.raisedAt).toLocaleTimeString('en-GB')}; due <Countdown due={alert.dueAt} now={now} />.
            </p>
            <p className="muted">{alert.reason}</p>
            {person.can(Permission.AlertAcknowledge) && (
              <details className="action">
                <summary>Acknowledge {alert.clock ?? 'the alert'}</summary>
                <CommandForm
                  title={`Acknowledge ${alert.clock ?? 'the alert'} on ${alert.reference}`}
                  schema="AcknowledgementDto"
                  submitLabel="Acknowledge"
                  send={async (body) => answer(await api.POST('/api/v1/alerts/{id}/acknowledgement', { params: { path: { id: alert.id } }, body: body as never }))}
                  onDone={() => void acknowledged()}
                />
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
