// Temporal Schedules of the engine, created idempotently at start-up: a second start (or a second process)
// finds the schedule there and leaves it be. Schedules need a real server (the dev server or a cluster); the
// time-skipping test server does not implement them.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';
import { creditExpirySweep } from '../workflows/credit-expiry-sweep';

export const CREDIT_EXPIRY_SCHEDULE_ID = 'credit-expiry';

export interface EnsuredSchedule {
  handle: ScheduleHandle;
  /** False when the schedule already existed. */
  created: boolean;
}

/**
 * The daily credit-expiry sweep, at 00:05 UTC: grants expire at the end of a year, so the sweep after midnight on
 * Jan 1 writes them off within minutes. A sweep still running skips the next (the run covers it), and a sweep
 * missed while the server was down runs on its return, within a day.
 */
export async function ensureCreditExpirySchedule(
  client: Client,
  options: { taskQueue: string; scheduleId?: string },
): Promise<EnsuredSchedule> {
  const scheduleId = options.scheduleId ?? CREDIT_EXPIRY_SCHEDULE_ID;
  try {
    const handle = await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 0, minute: 5, comment: 'daily at 00:05 UTC' }] },
      action: { type: 'startWorkflow', workflowType: creditExpirySweep, args: [], taskQueue: options.taskQueue, workflowId: `${scheduleId}-sweep` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return { handle, created: true };
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return { handle: client.schedule.getHandle(scheduleId), created: false };
    throw error;
  }
}
