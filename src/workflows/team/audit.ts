// The audit trail: one `audit_events` row for every change of a team's subscription (plan, interval, status,
// members, period, trial, pending change, seats), written by the request or scheduled event that made it. Keyed
// `<team>:<day>:<kind>:<sequence>` with a per-team sequence carried in the state, never a run ID, so a retried
// activity or a replay writes each row once and continue-as-new does not restart the count.
import { patched } from '@temporalio/workflow';
import type { Day } from '../../domain';
import type { TeamLedger } from './ledger';
import { orderedSeatsOf, seatOrderOf } from './seat-state';
import type { TeamState } from './state';

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
  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
  ) {}

  /** Runs `work` (a request or a scheduled event named `kind`) and records the change it made, if any. */
  async around<T>(kind: string, on: () => Day, work: () => Promise<T>): Promise<T> {
    const before = subscriptionFacts(this.state);
    const result = await work();
    const after = subscriptionFacts(this.state);
    if (JSON.stringify(before) !== JSON.stringify(after) && patched('audit-events')) {
      this.state.auditSequence = (this.state.auditSequence ?? 0) + 1;
      const key = `${this.state.teamId}:${on()}:${kind}:${this.state.auditSequence}`;
      await this.ledger.audit(key, 'subscription_changed', { cause: kind, before, after });
    }
    return result;
  }
}
