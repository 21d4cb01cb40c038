// Reads of a team's subscription. The read model (the `subscription_views` row its workflow publishes after each
// change, and the API from an update's answer before it answers) is one indexed row; the workflow's `state` query
// goes through the Temporal server to a worker. The read model answers unless the caller asks for the live state, or the workflow
// has not published yet (a team created a moment ago, or a workflow still running code from before the read model).
import { dayOf, instantFromEpochMs, isRestricted } from '../domain';
import type { Db } from '../ledger/db';
import { stateQuery, type PublishedSubscriptionView, type TeamSubscriptionView } from '../workflows/team-subscription-messages';
import type { TeamWorkflows } from './team-workflows';

export type SubscriptionReader = (teamId: string, options?: { live?: boolean }) => Promise<TeamSubscriptionView>;

export function subscriptionReader(db: Db, workflows: TeamWorkflows, now: () => number = Date.now): SubscriptionReader {
  return async (teamId, { live = false } = {}) => {
    if (!live) {
      const row = await db('subscription_views').where({ team_id: teamId }).first<{ view: PublishedSubscriptionView; clock_offset_ms: string } | undefined>('view', 'clock_offset_ms');
      if (row) return withReadingTime(row.view, now() + Number(row.clock_offset_ms));
    }
    return workflows.query(teamId, stateQuery);
  };
}

/** What depends on the moment of reading: the business day and restriction are the reader's; `busy` only the workflow knows. */
export function withReadingTime(view: PublishedSubscriptionView, businessNowMs: number): TeamSubscriptionView {
  const today = dayOf(instantFromEpochMs(businessNowMs));
  return { ...view, today, restricted: isRestricted(view.plan, view.members, today), busy: false };
}
