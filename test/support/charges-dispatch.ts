// When the Temporal server handed each charges-queue activity to a worker: what PAYMENT_PROVIDER_MAX_RPS limits
// (the server's dispatch, token-bucket.ts), read from the runs' histories. The provider's clock sees the same charges
// later, each by its own delay (a database transaction, a busy worker), so a second there can hold more than the
// bucket allows; the dispatch times are the limit's own measure.
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { chargesTaskQueue } from '../../src/workflows/charges-queue';

export type History = temporal.api.history.v1.IHistory;

export interface RunRef {
  workflowId: string;
  /** The run whose history is read; omitted, the latest. */
  runId?: string;
}

/** These runs' histories, read once: the billing-day benchmark judges both its dispatches and its retries by them. */
export async function fetchHistories(client: Client, runs: Iterable<RunRef> | AsyncIterable<RunRef>): Promise<History[]> {
  const histories: History[] = [];
  for await (const { workflowId, runId } of runs) histories.push(await client.workflow.getHandle(workflowId, runId).fetchHistory());
  return histories;
}

/**
 * The epoch second of each ActivityTaskStarted event (the server's clock) of an activity on the charges queue of
 * `taskQueue` (the team workflows' queue) in these histories.
 * A history records the start of an activity's last attempt only, so retries are not counted: a subset of what the
 * server dispatched, which keeps within any bound the whole does.
 */
export function chargesDispatchSeconds(taskQueue: string, histories: readonly History[]): number[] {
  const chargesQueue = chargesTaskQueue(taskQueue);
  const seconds: number[] = [];
  for (const history of histories) {
    const onChargesQueue = new Set<string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.taskQueue?.name === chargesQueue) onChargesQueue.add(String(event.eventId));
      const started = event.activityTaskStartedEventAttributes;
      if (started && onChargesQueue.has(String(started.scheduledEventId)) && event.eventTime?.seconds != null) {
        seconds.push(Number(event.eventTime.seconds));
      }
    }
  }
  return seconds;
}
