// Bundled into the workflow code for the replay test alone: it hands each activity the replayed code
// schedules, with its input, to the test through a sink that is called during replay too.
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface WriteCaptureSinks extends Sinks {
  writes: { scheduled(activityType: string, input: unknown): void };
}

const { writes } = proxySinks<WriteCaptureSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleActivity(input, next) {
        writes.scheduled(input.activityType, input.args[0]);
        return next(input);
      },
    },
  ],
});
