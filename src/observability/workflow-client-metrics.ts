// Counts the workflow starts and updates this process sends, whatever sends them (API routes, the renewal sweep,
// invitations): a Temporal client interceptor, so no caller has to remember to count.
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Metrics } from './metrics';

type Outcome = 'ok' | 'failed' | 'error';

/** `error`: the call itself failed; `failed`: an update answered with a failure (e.g. refused by its validator). */
async function counted<T>(count: (outcome: Outcome) => void, call: () => Promise<T>, failed: (result: T) => boolean = () => false): Promise<T> {
  try {
    const result = await call();
    count(failed(result) ? 'failed' : 'ok');
    return result;
  } catch (error) {
    count('error');
    throw error;
  }
}

/** Client option `interceptors.workflow`. */
export function workflowClientMetrics(metrics: Metrics): WorkflowClientInterceptor {
  const start = (workflowType: string) => (outcome: string) => metrics.workflowStarts.inc({ workflow_type: workflowType, outcome });
  const update = (name: string) => (outcome: string) => metrics.workflowUpdates.inc({ update: name, outcome });
  return {
    startWithDetails: (input, next) => counted(start(input.workflowType), () => next(input)),
    signalWithStart: (input, next) => counted(start(input.workflowType), () => next(input)),
    startUpdate: (input, next) => counted(update(input.updateName), () => next(input), (output) => Boolean(output.outcome?.failure)),
    startUpdateWithStart: (input, next) =>
      counted(update(input.updateName), () => counted(start(input.workflowType), () => next(input)), (output) => Boolean(output.updateOutcome?.failure)),
  };
}
