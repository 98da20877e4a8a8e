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
import type { Next, WorkflowExecuteInput, WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

/** The header the OpenTelemetry interceptors carry a trace in. */
const TRACE_HEADER = '_tracer-data';

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** `traced`'s methods while `on()`, else each call passed straight on to the next interceptor. */
function whenTraced<T extends object>(traced: T, on: () => boolean, names: ReadonlyArray<keyof T>): T {
  const wrapper: Record<string, Method> = {};
  for (const name of names) {
    const method = traced[name] as unknown as Method;
    wrapper[name as string] = (input, next) => (on() ? method.call(traced, input, next) : next(input));
  }
  return wrapper as unknown as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  const inbound = new OpenTelemetryInboundInterceptor();
  const outbound = new OpenTelemetryOutboundInterceptor();
  const on = () => traced;
  const inboundCalls = whenTraced<WorkflowInboundCallsInterceptor>(inbound, on, ['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery']);
  return {
    inbound: [
      {
        ...inboundCalls,
        execute: (input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) => {
          traced = input.headers[TRACE_HEADER] !== undefined;
          return traced ? inbound.execute(input, next) : next(input);
        },
      },
    ],
    outbound: [
      whenTraced<WorkflowOutboundCallsInterceptor>(outbound, on, [
        'scheduleActivity',
        'scheduleLocalActivity',
        'startChildWorkflowExecution',
        'continueAsNew',
        'signalWorkflow',
        'getLogAttributes',
        'getMetricTags',
      ]),
    ],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
