// The timer that wakes the team's workflow on its next event day. It is kept while that day stays the same, so
// a request that does not move the schedule costs no TIMER_CANCELED + TIMER_STARTED pair in the history.
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { Day } from '../../domain';
import type { BusinessClock } from './clock';

export class NextEventTimer {
  private running: { on: Day; fired: boolean; scope: CancellationScope } | null = null;

  constructor(private readonly clock: BusinessClock) {}

  /** Arms a timer for the start of `on` (null: nothing scheduled), keeping the running one when the day is the same. */
  arm(on: Day | null): void {
    if (this.running && (this.running.on !== on || this.running.fired)) {
      if (!this.running.fired) this.running.scope.cancel();
      this.running = null;
    }
    if (on === null || this.running) return;
    const running = { on, fired: false, scope: new CancellationScope() };
    running.scope
      .run(() => sleep(this.clock.msUntil(on)))
      .then(() => {
        running.fired = true;
      })
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
    this.running = running;
  }

  /** The day armed has begun. */
  fired(): boolean {
    return this.running?.fired ?? false;
  }
}
