// What every log line of one unit of work carries (an API request, an activity): its request, team and workflow.
// Held in AsyncLocalStorage so code deep in a route or an activity logs through the plain logger and still gets them.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  teamId?: string;
  workflowId?: string;
  runId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` on every log line written inside it (and in what it awaits). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** The fields of the current unit of work; pino's `mixin` adds them to each line. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Adds fields to the current context once they are known (e.g. the team, after the route matched). */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** `team:<teamId>` is the team workflow's ID (teamWorkflowId): the team of a workflow or activity log line. */
export function teamIdOfWorkflow(workflowId: unknown): string | undefined {
  return typeof workflowId === 'string' && workflowId.startsWith('team:') ? workflowId.slice('team:'.length) : undefined;
}
