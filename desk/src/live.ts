// The alert stream (Server-Sent Events), read with fetch so that the request carries the person's
// token. It reconnects on its own with Last-Event-ID, so nothing raised while it was down is missed.
import { useEffect, useRef, useState } from 'react';
import { type AlertView, bearer, reportStream } from './api';

export function useAlertStream(enabled: boolean, onAlert: (alert: AlertView) => void): void {
  // The latest handler, read when an alert comes: the stream opens once per sign-in, not per render.
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    if (!enabled) return;
    const stop = new AbortController();
    let lastEventId: string | undefined;
    void (async () => {
      let wait = 1000;
      while (!stop.signal.aborted) {
        try {
          const response = await fetch('/api/v1/alerts/stream', {
            headers: { authorization: bearer(), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
            signal: stop.signal,
          });
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          reportStream(true);
          wait = 1000;
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const lines = block.split('\n');
              const field = (name: string) => lines.filter((line) => line.startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trimStart());
              const [id] = field('id');
              if (id) lastEventId = id;
              if (field('event')[0] === 'alert') handler.current(JSON.parse(field('data').join('\n')) as AlertView);
            }
          }
        } catch {
          if (stop.signal.aborted) return;
        }
        reportStream(false);
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 10_000);
      }
    })();
    return () => {
      stop.abort();
      reportStream(true);
    };
  }, [enabled]);
}

/** The time now, ticking each second: for the countdowns. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Time left until `due`, in words people read at a glance: "4m 05s left", "overdue by 2m 10s". */
export function timeLeft(due: string | null | undefined, now: number): { text: string; overdue: boolean } | null {
  if (!due) return null;
  const ms = Date.parse(due) - now;
  const total = Math.floor(Math.abs(ms) / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const text = h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
  return ms >= 0 ? { text: `${text} left`, overdue: false } : { text: `overdue by ${text}`, overdue: true };
}
