// Payment failure (section 9): the charge is retried 1, 3, 5 and 7 days after
// the first failed attempt; the team keeps its plan meanwhile. After the last
// failed retry the team drops to Free that day.
import { addDays, type Day } from './calendar';

export const DUNNING_RETRY_OFFSETS: readonly number[] = [1, 3, 5, 7];

/** The retry days after a first failure on `firstFailure`. */
export function dunningSchedule(firstFailure: Day): Day[] {
  return DUNNING_RETRY_OFFSETS.map((offset) => addDays(firstFailure, offset));
}

/**
 * What follows `failedRetries` failed retries (0 right after the first failure):
 * the next retry day, or a drop to Free on the day of the last failed retry.
 */
export function afterFailedAttempt(firstFailure: Day, failedRetries: number): { next: 'retry'; on: Day } | { next: 'downgrade_to_free'; on: Day } {
  if (!Number.isInteger(failedRetries) || failedRetries < 0 || failedRetries > DUNNING_RETRY_OFFSETS.length) {
    throw new RangeError(`failedRetries must be 0–${DUNNING_RETRY_OFFSETS.length}, got ${failedRetries}`);
  }
  const offset = DUNNING_RETRY_OFFSETS[failedRetries];
  if (offset !== undefined) return { next: 'retry', on: addDays(firstFailure, offset) };
  return { next: 'downgrade_to_free', on: addDays(firstFailure, DUNNING_RETRY_OFFSETS[DUNNING_RETRY_OFFSETS.length - 1] ?? 0) };
}
