import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, StrictMode, useEffect, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { type AlertView, ApiRefusal, onRecovery, setToken, useLink } from './api';
import { Alerts } from './alerts';
import { CaseScreen } from './case-screen';
import { Intake } from './intake';
import { useAlertStream } from './live';
import { Queue } from './queue';
import { words } from './schema-form';
import { currentPerson, developmentSignIn, finishOidc, Permission, type Person, signInMode, type SignInMode, signOut, startOidc } from './session';
import type { Role } from '../../src/domain/roles.js';
import './desk.css';

/** Where the person is: `#/queue`, `#/new`, `#/alerts`, `#/case/<reference>`. */
function useRoute(): string[] {
  const hash = useSyncExternalStore(
    (listener) => {
      addEventListener('hashchange', listener);
      return () => removeEventListener('hashchange', listener);
    },
    () => location.hash,
  );
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean);
}

const go = (path: string) => {
  location.hash = `#/${path}`;
};

function SignIn({ mode, problem, signedIn }: { mode: SignInMode; problem: string | null; signedIn: () => void }): ReactNode {
  const [role, setRole] = useState<Role>('contact-handler' as Role);
  const [subject, setSubject] = useState('pc-dev');
  const [error, setError] = useState(problem);
  async function development(event: FormEvent) {
    event.preventDefault();
    try {
      await developmentSignIn(role, subject);
      signedIn();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }
  return (
    <main id="main">
      <h1>Sign in</h1>
      {error && (
        <p className="notice notice-problem" role="alert">
          {error}
        </p>
      )}
      {mode.mode === 'oidc' && (
        <button type="button" className="button" onClick={() => void startOidc(mode)}>
          Sign in with the force's identity provider
        </button>
      )}
      {mode.mode === 'development' && (
        <form onSubmit={(event) => void development(event)} className="command">
          <p className="warning">Development sign-in: this installation has no identity provider. It is refused in production.</p>
          <div className="field">
            <label htmlFor="dev-role">Role</label>
            <select id="dev-role" className="input" value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {mode.roles.map((name) => (
                <option key={name} value={name}>
                  {words(name)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="dev-subject">Staff id</label>
            <input id="dev-subject" className="input" value={subject} onChange={(event) => setSubject(event.target.value)} autoComplete="username" />
          </div>
          <button type="submit" className="button">
            Sign in
          </button>
        </form>
      )}
      {mode.mode === 'none' && <p>This installation has no way to sign in from a browser: ask an administrator to configure the identity provider.</p>}
    </main>
  );
}

/** A short tone when an alert arrives, where the browser allows sound (after the person's first key or click). */
function chime(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.2);
    tone.onended = () => void audio.close();
  } catch {
    // No sound here: the visible signal still shows.
  }
}

function Desk({ person, leave }: { person: Person; leave: () => void }): ReactNode {
  const route = useRoute();
  const client = useQueryClient();
  const link = useLink();
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [latest, setLatest] = useState<AlertView | null>(null);
  const readsAlerts = person.can(Permission.AlertRead);
  useAlertStream(readsAlerts, (alert) => {
    setFresh((before) => new Set([...before, alert.id]));
    setLatest(alert);
    chime();
    void client.invalidateQueries({ queryKey: ['alerts'] });
    void client.invalidateQueries({ queryKey: ['queue'] });
    void client.invalidateQueries({ queryKey: ['case', alert.reference] });
  });
  // Back after a loss: everything on screen is read again. While lost, it is tried every few seconds.
  useEffect(() => onRecovery(() => void client.invalidateQueries()), [client]);
  useEffect(() => {
    if (link.api) return;
    const retry = setInterval(() => void client.refetchQueries({ type: 'active' }), 3_000);
    return () => clearInterval(retry);
  }, [link.api, client]);
  useEffect(() => {
    document.title = `${fresh.size > 0 ? `(${fresh.size}) ` : ''}Contact handling: desk`;
  }, [fresh]);
  const [page, reference] = route;
  const screen = page ?? 'queue';
  const open = (ref: string) => go(`case/${ref}`);
  const nav = [
    { path: 'queue', label: 'Queue', shown: person.can(Permission.ContactRead) },
    { path: 'new', label: 'Take a contact', shown: person.can(Permission.ContactCreate) },
    { path: 'alerts', label: fresh.size > 0 ? `Alerts (${fresh.size} new)` : 'Alerts', shown: readsAlerts },
  ].filter((item) => item.shown);

  return (
    <>
      <a href="#main" className="skip-link" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to the main content
      </a>
      <header className="top">
        <p className="service">Contact handling desk</p>
        <nav aria-label="Desk">
          <ul>
            {nav.map((item) => (
              <li key={item.path}>
                <a href={`#/${item.path}`} aria-current={screen === item.path ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="who">
          <span id="who">
            {person.subject} ({person.roles.map(words).join(', ')})
          </span>{' '}
          <button type="button" className="button button-secondary" onClick={leave}>
            Sign out
          </button>
        </p>
      </header>
      {(!link.api || !link.stream) && (
        <div className="banner" role="alert" id="connection-banner">
          {!link.api ? 'The connection to the system is lost: what you see may be out of date. Trying again…' : 'The live alert feed is lost: alerts may be late. Trying again…'}
        </div>
      )}
      {latest && fresh.has(latest.id) && screen !== 'alerts' && (
        <div className="alert-signal" role="alert" id="alert-signal">
          New alert: {words(latest.kind)} on {latest.reference} ({latest.clock}). <a href="#/alerts">Open the alerts</a>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {screen === 'queue' && <Queue person={person} open={open} />}
        {screen === 'new' && <Intake person={person} opened={open} />}
        {screen === 'alerts' && readsAlerts && (
          <Alerts
            person={person}
            open={(ref) => {
              setFresh(new Set());
              open(ref);
            }}
            fresh={fresh}
          />
        )}
        {screen === 'case' && reference && <CaseScreen key={reference} person={person} reference={decodeURIComponent(reference)} />}
      </main>
    </>
  );
}

function App(): ReactNode {
  const mode = useQuery({ queryKey: ['sign-in'], queryFn: signInMode, staleTime: Number.POSITIVE_INFINITY });
  const [person, setPerson] = useState<Person | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!mode.data) return;
    const parameters = new URLSearchParams(location.search);
    const signedIn = () => {
      const who = mode.data.mode === 'none' ? null : currentPerson(mode.data.rolesClaim);
      if (who) setToken(who.token);
      setPerson(who);
      setReady(true);
    };
    if (mode.data.mode === 'oidc' && (parameters.has('code') || parameters.has('error'))) {
      finishOidc(mode.data, parameters).then(signedIn, (error: Error) => {
        setProblem(error.message);
        setReady(true);
      });
    } else signedIn();
  }, [mode.data]);

  if (mode.isError) return <p role="alert">The desk could not reach the system. Reload the page to try again.</p>;
  if (!mode.data || !ready) return <p role="status">Loading…</p>;
  if (!person) {
    return (
      <SignIn
        mode={mode.data}
        problem={problem}
        signedIn={() => {
          const who = mode.data.mode === 'none' ? null : currentPerson(mode.data.rolesClaim);
          if (who) setToken(who.token);
          setPerson(who);
        }}
      />
    );
  }
  return (
    <Desk
      person={person}
      leave={() => {
        signOut();
        setPerson(null);
      }}
    />
  );
}

// A refusal is the API's answer, not a fault: asked again only when the system could not be reached.
const client = new QueryClient({ defaultOptions: { queries: { retry: (count, error) => !(error instanceof ApiRefusal) && count < 2, refetchOnWindowFocus: true } } });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
