/**
 * The workflow side of tracing, bundled with the workflows (scripts/bundle-workflows.js). Not a
 * workflow: interceptors.
 *
 * A case's workflow is traced only when it was started inside a trace, that is when its start
 * carries the trace header that the API's client adds with tracing on. Then OpenTelemetry's
 * workflow interceptors make its spans (its run, each update, each activity it schedules) and pass
 * the trace on in each activity's headers. Started without one (tracing off), every call goes
 * straight through: no spans, and no header in the case's history.
 *
 * Whether a workflow is traced depends only on its start's headers, which a replay sees again, so
 * it is the same on every replay. The interceptors add headers, never commands.
 */
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { Next, WorkflowExecuteInput, WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowInternalsInterceptor, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

/** The header the OpenTelemetry interceptors carry a trace in. */
const TRACE_HEADER = '_tracer-data';

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/**
 * The methods `names` of the interceptor `make()` builds (once, on the first traced call: building
 * one sets up a tracer in the sandbox, which an untraced case never needs), called only while
 * `on()`; otherwise each call goes straight on to the next interceptor.
 */
function whenTraced<T extends object>(make: () => T, on: () => boolean, names: ReadonlyArray<keyof T>): T {
  let traced: T | undefined;
  const wrapper: Record<string, Method> = {};
  for (const name of names) {
    wrapper[name as string] = (input, next) => {
      if (!on()) return next(input);
      traced ??= make();
      return (traced[name] as unknown as Method).call(traced, input, next);
    };
  }
  return wrapper as unknown as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  const on = () => traced;
  const inbound = whenTraced<WorkflowInboundCallsInterceptor>(() => new OpenTelemetryInboundInterceptor(), on, ['execute', 'handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery']);
  return {
    inbound: [
      {
        ...inbound,
        execute: (input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) => {
          traced = input.headers[TRACE_HEADER] !== undefined;
          return inbound.execute!(input, next);
        },
      },
    ],
    outbound: [
      whenTraced<WorkflowOutboundCallsInterceptor>(() => new OpenTelemetryOutboundInterceptor(), on, [
        'scheduleActivity',
        'scheduleLocalActivity',
        'startChildWorkflowExecution',
        'continueAsNew',
        'signalWorkflow',
        'getLogAttributes',
        'getMetricTags',
      ]),
    ],
    // Its one call ends the sandbox's context manager, which only a traced case has started.
    internals: [whenTraced<WorkflowInternalsInterceptor>(() => new OpenTelemetryInternalsInterceptor(), on, ['dispose'])],
  };
};
