import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { type temporal } from '@temporalio/proto';
import { exactWriteActivities } from './recorded-writes.js';

export interface TimelineItem {
  eventId: number;
  at: string;
  kind: string;
  /** Who, for a person's command; `system` for the workflow's own doing. */
  actor: string;
  text: string;
}

type Event = temporal.api.history.v1.IHistoryEvent;

/** A 64-bit protobuf number (a number, a string, or a Long) as a JavaScript number. */
const int = (value: unknown) => Number(value !== null && typeof value === 'object' ? (value as { toString(): string }).toString() : (value ?? 0));
const time = (event: Event) => new Date(int(event.eventTime?.seconds) * 1000 + Math.round((event.eventTime?.nanos ?? 0) / 1e6)).toISOString();
const seconds = (duration?: { seconds?: unknown; nanos?: number | null } | null) => int(duration?.seconds) + (duration?.nanos ?? 0) / 1e9;

/**
 * A case's Temporal event history as an auditor reads it: who did what and when, which clocks ran,
 * under which policy. Payloads are decrypted with the codec to find the actor and the command; the
 * text carries codes, clock names and times, never a caller's details or a note's words.
 */
export async function historyTimeline(history: temporal.api.history.v1.IHistory, codec: PayloadCodec): Promise<{ policyVersion: string | null; items: TimelineItem[] }> {
  const open = async <T>(payload?: temporal.api.common.v1.IPayload | null): Promise<T | undefined> => {
    if (!payload) return undefined;
    const [plain] = await codec.decode([payload]);
    return defaultPayloadConverter.fromPayload<T>(plain);
  };
  const timers = new Map<string, string>();
  const items: TimelineItem[] = [];
  let policyVersion: string | null = null;
  for (const event of history.events ?? []) {
    const base = { eventId: int(event.eventId), at: time(event) };
    if (event.workflowExecutionStartedEventAttributes) {
      const intake = await open<{ channel: string; policy: { version: string }; actor: { subject: string; role: string } }>(event.workflowExecutionStartedEventAttributes.input?.payloads?.[0]);
      policyVersion = intake?.policy.version ?? null;
      items.push({ ...base, kind: 'opened', actor: intake ? `${intake.actor.subject} (${intake.actor.role})` : 'unknown', text: `case opened from ${intake?.channel ?? 'an unknown channel'} under policy ${policyVersion ?? 'unknown'}` });
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const envelope = await open<{ actor: { subject: string; role: string }; command: { type: string } }>(request?.input?.args?.payloads?.[0]);
      items.push({ ...base, kind: 'command', actor: envelope ? `${envelope.actor.subject} (${envelope.actor.role})` : 'unknown', text: `${envelope?.command.type ?? 'command'} accepted` });
    } else if (event.timerStartedEventAttributes) {
      const summary = (await open<string>(event.userMetadata?.summary)) ?? 'timer';
      timers.set(event.timerStartedEventAttributes.timerId ?? '', summary);
      const firesAt = new Date(Date.parse(base.at) + seconds(event.timerStartedEventAttributes.startToFireTimeout) * 1000).toISOString();
      items.push({ ...base, kind: 'timer-set', actor: 'system', text: `${summary}, at ${firesAt}` });
    } else if (event.timerFiredEventAttributes) {
      items.push({ ...base, kind: 'timer-fired', actor: 'system', text: timers.get(event.timerFiredEventAttributes.timerId ?? '') ?? 'timer' });
    } else if (event.timerCanceledEventAttributes) {
      items.push({ ...base, kind: 'timer-cancelled', actor: 'system', text: `${timers.get(event.timerCanceledEventAttributes.timerId ?? '') ?? 'timer'} (the case changed first)` });
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
      const shown = Object.entries(fields).map(([name, payload]) => `${name}=${JSON.stringify(defaultPayloadConverter.fromPayload(payload))}`);
      items.push({ ...base, kind: 'search-attributes', actor: 'system', text: shown.join(', ') });
    } else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      items.push({ ...base, kind: 'recorded', actor: 'system', text: 'written to the case store' });
    } else if (event.activityTaskScheduledEventAttributes && Object.values(exactWriteActivities).includes(event.activityTaskScheduledEventAttributes.activityType?.name as never)) {
      items.push({ ...base, kind: 'recorded', actor: 'system', text: 'change handed to the case store (as the history holds it)' });
    } else if (event.startChildWorkflowExecutionInitiatedEventAttributes) {
      items.push({ ...base, kind: 'archive', actor: 'system', text: 'history archive started' });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      items.push({ ...base, kind: 'completed', actor: 'system', text: 'case workflow completed' });
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      items.push({ ...base, kind: 'terminated', actor: event.workflowExecutionTerminatedEventAttributes.identity ?? 'unknown', text: 'case workflow terminated' });
    }
  }
  return { policyVersion, items };
}
