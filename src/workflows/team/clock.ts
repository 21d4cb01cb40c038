// The business calendar: workflow time plus an optional offset. Production runs with offset 0; a simulation
// starts the workflow with an offset so that its "today" is the scenario's start day, and the time-skipping
// server then moves both together. Workflow time is deterministic (Date.now() in a workflow is replayed).
import { dayOf, epochMs, instantFromEpochMs, type Day, type Instant } from '../../domain';

export class BusinessClock {
  constructor(readonly offsetMs: number) {
    if (!Number.isSafeInteger(offsetMs)) throw new RangeError(`clockOffsetMs must be an integer, got ${offsetMs}`);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Instant {
    return instantFromEpochMs(this.nowMs());
  }

  today(): Day {
    return dayOf(this.now());
  }

  /** Workflow milliseconds until `day` begins (00:00 UTC on the business calendar); at least 1. */
  msUntil(day: Day): number {
    return Math.max(1, epochMs(day) - this.nowMs());
  }
}
