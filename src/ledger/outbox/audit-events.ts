// What a change of a team's subscription tells the platform, read from its audit row (`{ cause, before, after }`).
// Called by the audit activity inside its transaction; each event's key is the audit row's key plus the event type,
// so a retried write records it once. The only source of team.restricted and team.unrestricted: a drop to Free
// over the capacity is audited like any other change.
import type { DbOrTrx } from '../rows';
import { freeCapacity, subscriptionChange, type Day, type Instant, type SubscriptionFacts } from '../../domain';
import { recordWebhookEvent } from './webhook-events';

export interface AuditedChange {
  /** `<team>:<day>:<kind>:<sequence>` (src/workflows/team/audit.ts). */
  key: string;
  teamId: string;
  payload: { before?: unknown; after?: unknown };
  at: Instant;
  /** The business day of the change (audit_events.on). */
  on: Day;
}

/** Records the change's events; returns how many deliveries they queued. */
export async function subscriptionChanged(trx: DbOrTrx, audit: AuditedChange): Promise<number> {
  const before = audit.payload.before as SubscriptionFacts | undefined;
  const after = audit.payload.after as SubscriptionFacts | undefined;
  if (!before || !after) return 0;
  const { on } = audit;
  const change = subscriptionChange(before, after, on);
  const base = { teamId: audit.teamId, occurredAt: audit.at };
  let queued = 0;
  const record = async (type: Parameters<typeof recordWebhookEvent>[1]['type'], data: Record<string, unknown>) => {
    queued += await recordWebhookEvent(trx, { ...base, key: `${audit.key}:${type}`, type, data });
  };
  if (change.trialStarted) {
    await record('subscription.trial_started', { plan: after.plan, interval: after.interval, trialStart: change.trialStarted.start, trialEnd: change.trialStarted.end });
  }
  if (change.changeScheduled) {
    const { plan, interval, effectiveOn } = change.changeScheduled;
    await record('subscription.change_scheduled', { plan, interval, effectiveOn });
  }
  if (change.restriction) {
    const reason = change.restriction === 'restricted' ? 'over_free_capacity' : after.plan === 'free' ? 'within_free_capacity' : 'paid_plan';
    await record(`team.${change.restriction}`, { on, reason, members: after.members, capacity: freeCapacity(on) });
  }
  return queued;
}
