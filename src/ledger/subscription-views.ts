// The read model's row of a team (migration 011): the view its workflow last published, which the API answers the
// SaaS's frequent reads from. Written by the workflow's records and, for an update's answer, by the API before it
// answers (records-after-answer); whichever writes a version first, the other finds it written.
import type { DbOrTrx } from './rows';

export interface ViewRow {
  /** Grows with every publication of the team (carried across continue-as-new); an older one never overwrites. */
  version: number;
  clockOffsetMs: number;
  /** The workflow's PublishedSubscriptionView, as JSON. */
  view: object;
}

/** Idempotent: the same version written twice, or an older one after a newer, changes nothing. True when written. */
export async function publishView(trx: DbOrTrx, teamId: string, { version, clockOffsetMs, view }: ViewRow, at: string): Promise<boolean> {
  const written = await trx('subscription_views')
    .insert({ team_id: teamId, version, clock_offset_ms: clockOffsetMs, view: JSON.stringify(view), published_at: at })
    .onConflict('team_id')
    .merge()
    .where('subscription_views.version', '<', version)
    .returning('team_id');
  return written.length > 0;
}
