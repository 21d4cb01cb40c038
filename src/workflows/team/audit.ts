// The audit trail: one `audit_events` row for every change of a team's subscription (plan, interval, status,
// members, period, trial, pending change, seats), written by the request or scheduled event that made it. Keyed
// `<team>:<day>:<kind>:<sequence>` with a per-team sequence carried in the state, never a run ID, so a retried
// activity or a replay writes each row once and continue-as-new does not restart the count.
import type { Day } from '../../domain';
import type { RecordAuditInput } from '../../activities';
import type { TeamLedger } from './ledger';
import { AUDIT_EVENTS } from '../patches';
import { recordsInOneActivity } from './change-records';
import { orderedSeatsOf, seatOrderOf } from './seat-state';
import type { TeamState } from './state';
import { usesPatch } from './run-patches';

/** What a customer would call "my subscription": the facts an audit row shows before and after. */
export function subscriptionFacts(state: TeamState): Record<string, unknown> {
  const order = seatOrderOf(state);
  const ordered = orderedSeatsOf(state);
  return {
    plan: state.plan,
    interval: state.interval,
    status: state.status,
    members: state.members,
    period: state.period,
    trial: state.trial,
    pendingChange: state.pendingChange,
    seatOrder: order && { plan: order.plan, seats: order.seats, period: order.period },
    orderedSeats: ordered && { plan: ordered.plan, seats: ordered.seats, startsOn: ordered.startsOn },
  };
}

export class AuditTrail {
  /** Rows of changes made but not written yet: the change's records go out together (see ChangeRecords). */
  private pending: RecordAuditInput[] = [];

  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
  ) {}

  /** Runs `work` (a request or a scheduled event named `kind`) and records the change it made, if any. */
  async around<T>(kind: string, on: () => Day, work: () => Promise<T>): Promise<T> {
    const before = subscriptionFacts(this.state);
    const result = await work();
    const after = subscriptionFacts(this.state);
    if (JSON.stringify(before) !== JSON.stringify(after) && usesPatch(this.state, AUDIT_EVENTS)) {
      this.state.auditSequence = (this.state.auditSequence ?? 0) + 1;
      const day = on();
      const key = `${this.state.teamId}:${day}:${kind}:${this.state.auditSequence}`;
      const payload = { cause: kind, before, after };
      // Before the read model each row was its own activity, written at once: histories recorded then replay that.
      if (recordsInOneActivity(this.state)) this.pending.push(this.ledger.auditRow(key, 'subscription_changed', payload, day));
      else await this.ledger.audit(key, 'subscription_changed', payload, day);
    }
    return result;
  }

  /** The rows not written yet, in the order of their changes; the caller writes them. */
  take(): RecordAuditInput[] {
    return this.pending.splice(0);
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }
}
