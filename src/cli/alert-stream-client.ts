import { createParser } from 'eventsource-parser';

export interface StreamedAlert<T = Record<string, unknown>> {
  /** The event id: what a reconnecting client sends as Last-Event-ID. */
  eventId: string;
  alert: T;
  /** When this client received it (ms since the epoch). */
  receivedAtMs: number;
}

export interface AlertStreamClient<T> {
  status: number;
  events: Array<StreamedAlert<T>>;
  /** Comment lines received (heartbeats). */
  comments: number;
  /** The server ended the stream because the token expired: open it again with a fresh token and the last event id. */
  tokenExpired: boolean;
  /** Resolves when the stream has ended, by either side. */
  ended: Promise<void>;
  /** Resolves with the first event that matches, as soon as it arrives. */
  waitFor(match: (event: StreamedAlert<T>) => boolean, timeoutMs: number): Promise<StreamedAlert<T>>;
  close(): void;
}

/**
 * A client of `GET /api/v1/alerts/stream` (Server-Sent Events), for the demo, the benchmark and the
 * tests: it connects once (a resume is a new client given the last event id) and keeps every event.
 */
export async function openAlertStream<T = Record<string, unknown>>(baseUrl: string, token: string, lastEventId?: string): Promise<AlertStreamClient<T>> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: abort.signal,
  });
  const events: Array<StreamedAlert<T>> = [];
  const waiters = new Set<{ match: (event: StreamedAlert<T>) => boolean; resolve: (event: StreamedAlert<T>) => void }>();
  const client: AlertStreamClient<T> = {
    status: response.status,
    events,
    comments: 0,
    tokenExpired: false,
    ended: Promise.resolve(),
    waitFor(match, timeoutMs) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (event: StreamedAlert<T>) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching alert on the stream within ${timeoutMs} ms (${events.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) {
    // A refusal's body is read, so that its connection is let go.
    await response.text().catch(() => undefined);
    return client;
  }
  const parser = createParser({
    onEvent: (message) => {
      if (message.event === 'token-expired') client.tokenExpired = true;
      if (message.event !== 'alert' || !message.id) return;
      const event = { eventId: message.id, alert: JSON.parse(message.data) as T, receivedAtMs: Date.now() };
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
    },
    onComment: () => {
      client.comments += 1;
    },
  });
  const decoder = new TextDecoder();
  client.ended = (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // Closed by the client or the server: the events so far stay.
    }
  })();
  return client;
}
