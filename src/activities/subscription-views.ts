// The read model of each team's subscription (migration 010): written by the team's workflow after every change,
// read by the API for the calls the SaaS makes on each of its own requests.
import type { PublishedSubscriptionView } from '../workflows/team-subscription-messages';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';

export interface PublishSubscriptionViewInput {
  teamId: string;
  /** Grows with every publication of the team (carried across continue-as-new); an older one never overwrites. */
  version: number;
  clockOffsetMs: number;
  view: PublishedSubscriptionView;
  /** The workflow's time of the change. */
  at: string;
}

export function subscriptionViewActivities({ db }: Pick<BillingDependencies, 'db'>) {
  return {
    /** Idempotent: the same version written twice, or an older one after a newer, changes nothing. */
    async publishSubscriptionView(input: PublishSubscriptionViewInput): Promise<{ stored: boolean }> {
      requireText(input.teamId, 'teamId');
      const row = { team_id: input.teamId, version: input.version, clock_offset_ms: input.clockOffsetMs, view: JSON.stringify(input.view), published_at: input.at };
      const written = await db('subscription_views')
        .insert(row)
        .onConflict('team_id')
        .merge()
        .where('subscription_views.version', '<', input.version)
        .returning('team_id');
      return { stored: written.length > 0 };
    },
  };
}
