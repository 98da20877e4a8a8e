import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { type AppConfig } from '../../../config/app-config.js';

/**
 * Tracing with OpenTelemetry, on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT names a collector: one
 * trace from an HTTP request through the Temporal client, the case's workflow and its activities
 * to the SQL they run, sent over OTLP/HTTP. Off, nothing of the SDK is loaded.
 *
 * It starts before the rest of the process is imported (see main.ts and worker.ts), so that the
 * `http` and `pg` instrumentations see those modules loaded.
 *
 * What leaves the process is kept to a list of attributes that carry no personal data: methods,
 * route templates, statuses, parameterised SQL (never its values), Temporal's ids and types. The
 * rest (query strings, client addresses, user agents, error messages) is dropped before export.
 */
export interface Tracing {
  /** For the worker's `exporter` sink: spans the workflow sandbox made, in the shape this SDK exports. */
  workflowSpans: SpanProcessor;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The process's tracing, when it is on. */
export const activeTracing = (): Tracing | undefined => active;

const keptAttributes = new Set([
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'http.method',
  'http.status_code',
  'url.scheme',
  'url.path',
  'server.address',
  'server.port',
  'network.protocol.version',
  'db.system',
  'db.system.name',
  'db.namespace',
  'db.name',
  'db.operation.name',
  'db.query.text',
  'db.statement',
  'db.collection.name',
  'db.postgresql.idle.timeout.millis',
  'exception.type',
  'error.type',
]);

/** Whether an attribute may leave the process: the list above, and the Temporal interceptors' ids (`temporalWorkflowId`: case references, never personal data). */
export function keepsAttribute(key: string): boolean {
  return keptAttributes.has(key) || key === 'run_id' || /^temporal[A-Z]/.test(key);
}

const scrub = (attributes: Attributes | undefined): Attributes => Object.fromEntries(Object.entries(attributes ?? {}).filter(([key]) => keepsAttribute(key)));

/**
 * The span as it leaves the process: listed attributes only, events without their messages, the
 * status without its text. The workflow sandbox's spans come from the Temporal interceptors' own
 * (older) SDK, naming their parent by id and their library by its older name: they are given this
 * SDK's shape.
 */
function exported(span: ReadableSpan): ReadableSpan {
  const legacy = span as ReadableSpan & { parentSpanId?: string; instrumentationLibrary?: ReadableSpan['instrumentationScope'] };
  const context = span.spanContext();
  const parentSpanContext =
    span.parentSpanContext ?? (legacy.parentSpanId ? { traceId: context.traceId, spanId: legacy.parentSpanId, traceFlags: context.traceFlags, isRemote: false } : undefined);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => context,
    parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: scrub(span.attributes),
    links: (span.links ?? []).map((link) => ({ context: link.context, attributes: scrub(link.attributes) })),
    events: (span.events ?? []).map((event) => ({ name: event.name, time: event.time, attributes: scrub(event.attributes), droppedAttributesCount: 0 })),
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope ?? legacy.instrumentationLibrary ?? { name: 'temporal-workflow' },
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** Starts tracing for this process when an endpoint is configured; call before anything else is imported. */
export async function startTracing(config: AppConfig, service: 'api' | 'worker'): Promise<Tracing | undefined> {
  const endpoint = config.telemetry.tracesEndpoint;
  if (!endpoint || active) return active;
  const [{ NodeSDK }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const exporter = new OTLPTraceExporter({ url: endpoint });
  const batch = new BatchSpanProcessor({
    exporter: {
      export: (spans, done) => exporter.export(spans.map(exported), done),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush(),
    },
    scheduledDelayMillis: 1_000,
  });
  const resource = resourceFromAttributes({ 'service.name': service, 'service.namespace': config.telemetry.serviceNamespace });
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [batch],
    instrumentations: [
      new HttpInstrumentation({
        // The metrics scrape and health probes are not work worth a trace.
        ignoreIncomingRequestHook: (request) => request.url === '/health' || request.url === '/metrics',
        // Only calls made inside a trace (webhooks, the platform adapter), not the SDK's own exports.
        requireParentforOutgoingSpans: true,
        // Named by the route template Express matched (`POST /api/v1/contacts/:reference/notes`),
        // never by the path as sent.
        applyCustomAttributesOnSpan: (span, request) => {
          const matched = request as { method?: string; baseUrl?: string; route?: { path?: string } };
          if (!matched.route?.path) return;
          const route = `${matched.baseUrl ?? ''}${matched.route.path}`;
          span.setAttribute('http.route', route);
          span.updateName(`${matched.method ?? ''} ${route}`);
        },
      }),
      // A statement outside a trace (the alert feed's polling, LISTEN) makes no trace of its own.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  // The process is an ES module: `pg` is loaded through the CommonJS loader, which the
  // instrumentation hooks, only when required. Required here first, its patched classes are the
  // ones every later import gets.
  const require = createRequire(import.meta.url);
  require('pg');
  require('http');
  require('https');
  const workflowSpans: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => batch.onEnd({ ...span, resource }),
    forceFlush: () => batch.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
  active = { workflowSpans, shutdown: () => sdk.shutdown() };
  return active;
}
