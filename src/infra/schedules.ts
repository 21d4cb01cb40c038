// Temporal Schedules of the engine, created or brought up to date at every start-up: a second start (or a second
// process) finds each schedule there and leaves it be, unless its spec, action or policies differ from the ones
// here, in which case it is updated (its paused state and note, an operator's, are kept). Schedules need a real
// server (the dev server or a cluster); the time-skipping test server does not implement them.
import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpec,
} from '@temporalio/client';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import { creditExpirySweep } from '../workflows/credit-expiry-sweep';
import { renewalSweep } from '../workflows/renewal-sweep';

export const CREDIT_EXPIRY_SCHEDULE_ID = 'credit-expiry';
export const RENEWAL_SWEEP_SCHEDULE_ID = 'renewal-sweep';

export interface EnsuredSchedule {
  handle: ScheduleHandle;
  /** False when the schedule already existed. */
  created: boolean;
  /** True when it existed with another spec, action or policies, and was updated to these. */
  updated: boolean;
}

/** What the engine wants a schedule to be: every field that decides when and what it runs is explicit. */
export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  action: { workflowType: string; workflowId: string; taskQueue: string };
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: Duration; pauseOnFailure: boolean };
}

/**
 * A sweep once a day at `hour:minute` UTC. A sweep still running skips the next (the run covers it), and a sweep
 * missed while the server was down runs on its return, within a day.
 */
function dailySweep(scheduleId: string, workflowType: string, at: { hour: number; minute: number }, taskQueue: string, workflowIdSuffix: string): ScheduleDefinition {
  const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  return {
    scheduleId,
    spec: { calendars: [{ ...at, comment: `daily at ${time} UTC` }] },
    action: { workflowType, workflowId: `${scheduleId}-${workflowIdSuffix}`, taskQueue },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day', pauseOnFailure: false },
  };
}

/** The credit-expiry sweep at 00:05 UTC: grants expire at the end of a year, so Jan 1's sweep writes them off within minutes. */
export function creditExpirySchedule(options: { taskQueue: string; scheduleId?: string }): ScheduleDefinition {
  return dailySweep(options.scheduleId ?? CREDIT_EXPIRY_SCHEDULE_ID, creditExpirySweep.name, { hour: 0, minute: 5 }, options.taskQueue, 'sweep');
}

/**
 * The renewal sweep at 03:00 UTC, once the day's renewals (at midnight, workflow time) have run: every team the
 * ledger has on a paid plan must have a running workflow that agrees with it.
 */
export function renewalSweepSchedule(options: { taskQueue: string; scheduleId?: string }): ScheduleDefinition {
  return dailySweep(options.scheduleId ?? RENEWAL_SWEEP_SCHEDULE_ID, renewalSweep.name, { hour: 3, minute: 0 }, options.taskQueue, 'run');
}

export function ensureCreditExpirySchedule(client: Client, options: { taskQueue: string; scheduleId?: string }): Promise<EnsuredSchedule> {
  return ensureSchedule(client, creditExpirySchedule(options));
}

export function ensureRenewalSweepSchedule(client: Client, options: { taskQueue: string; scheduleId?: string }): Promise<EnsuredSchedule> {
  return ensureSchedule(client, renewalSweepSchedule(options));
}

/** Every schedule of the engine, in place and up to date. */
export async function ensureEngineSchedules(client: Client, options: { taskQueue: string }): Promise<EnsuredSchedule[]> {
  return [await ensureCreditExpirySchedule(client, options), await ensureRenewalSweepSchedule(client, options)];
}

/**
 * Creates the schedule, or updates it when it differs. The server normalizes a spec (calendars become ranges), so
 * the definition's fingerprint is kept in the action's memo and compared instead; the policies and the action's
 * type and task queue are compared as they are, so an edit made in the UI is put back too.
 */
export async function ensureSchedule(client: Client, definition: ScheduleDefinition): Promise<EnsuredSchedule> {
  const version = fingerprint(definition);
  const action = { type: 'startWorkflow' as const, ...definition.action, args: [], memo: { scheduleVersion: version } };
  try {
    const handle = await client.schedule.create({ scheduleId: definition.scheduleId, spec: definition.spec, action, policies: definition.policies });
    return { handle, created: true, updated: false };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(definition.scheduleId);
  if (isUpToDate(await handle.describe(), definition, version)) return { handle, created: false, updated: false };
  await handle.update((current) => ({ ...current, spec: definition.spec, action, policies: definition.policies }));
  return { handle, created: false, updated: true };
}

function isUpToDate(current: ScheduleDescription, definition: ScheduleDefinition, version: string): boolean {
  const { policies, action } = current;
  return (
    action.memo?.scheduleVersion === version &&
    action.workflowType === definition.action.workflowType &&
    action.taskQueue === definition.action.taskQueue &&
    policies.overlap === definition.policies.overlap &&
    policies.catchupWindow === msToNumber(definition.policies.catchupWindow) &&
    policies.pauseOnFailure === definition.policies.pauseOnFailure
  );
}

function fingerprint(definition: ScheduleDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}
