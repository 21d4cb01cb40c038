// What one change of a team's subscription means beyond its own facts: a trial begun, a deferred change scheduled,
// the Free restriction (section 2) entered or left. Read from the facts before and after the change, as the audit
// trail records them, so whatever made the change (a request, a scheduled event) tells it the same way.
import type { Day, Interval, Period } from './calendar';
import { defaultCatalog, isRestricted, type Catalog, type Plan } from './catalog';
import type { PendingChange } from './plan-change';

/** The audit trail's facts that these rules read. */
export interface SubscriptionFacts {
  plan: Plan;
  interval: Interval;
  members: number;
  trial: Period | null;
  pendingChange: PendingChange | null;
}

export interface SubscriptionChange {
  /** The trial the change started. */
  trialStarted: Period | null;
  /** The deferred change the change scheduled, new or replacing another. */
  changeScheduled: PendingChange | null;
  /** The restriction after the change, when it differs from before. */
  restriction: 'restricted' | 'unrestricted' | null;
}

export function subscriptionChange(before: SubscriptionFacts, after: SubscriptionFacts, on: Day, catalog: Catalog = defaultCatalog): SubscriptionChange {
  const restrictedBefore = isRestricted(before.plan, before.members, on, catalog);
  const restrictedAfter = isRestricted(after.plan, after.members, on, catalog);
  return {
    trialStarted: before.trial === null && after.trial !== null ? after.trial : null,
    changeScheduled: after.pendingChange && !samePendingChange(before.pendingChange, after.pendingChange) ? after.pendingChange : null,
    restriction: restrictedBefore === restrictedAfter ? null : restrictedAfter ? 'restricted' : 'unrestricted',
  };
}

function samePendingChange(a: PendingChange | null, b: PendingChange): boolean {
  return a !== null && a.plan === b.plan && a.interval === b.interval && a.effectiveOn === b.effectiveOn;
}
