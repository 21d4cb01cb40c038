// What a change of a team's subscription leaves in the ledger, written by its workflow in one local activity before
// the change's request answers: the audit rows of the change (with their webhook events), and the read model's row
// (migration 011) that the API reads for the calls the SaaS makes on each of its own requests.
import type { PublishedSubscriptionView } from '../workflows/team-subscription-messages';
import { relayAfterWrite, type OutboxWrite } from './relay';
import { writeAudit, type RecordAuditInput } from './audit';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';
import type { DbOrTrx } from '../ledger/rows';

export interface PublishedViewInput {
  /** Grows with every publication of the team (carried across continue-as-new); an older one never overwrites. */
  version: number;
  clockOffsetMs: number;
  view: PublishedSubscriptionView;
}

export interface RecordSubscriptionChangeInput {
  teamId: string;
  /** In the order the changes happened; each idempotent under its key. */
  audits: RecordAuditInput[];
  /** The view after them, when it changed. */
  published: PublishedViewInput | null;
  /** The workflow's time. */
  at: string;
}

/** Idempotent: the same version written twice, or an older one after a newer, changes nothing. */
async function writeView(trx: DbOrTrx, teamId: string, { version, clockOffsetMs, view }: PublishedViewInput, at: string): Promise<boolean> {
  const written = await trx('subscription_views')
    .insert({ team_id: teamId, version, clock_offset_ms: clockOffsetMs, view: JSON.stringify(view), published_at: at })
    .onConflict('team_id')
    .merge()
    .where('subscription_views.version', '<', version)
    .returning('team_id');
  return written.length > 0;
}

export function subscriptionViewActivities({ db }: Pick<BillingDependencies, 'db'>) {
  return {
    async recordSubscriptionChange(input: RecordSubscriptionChangeInput): Promise<{ audited: number; published: boolean }> {
      requireText(input.teamId, 'teamId');
      const { outbox, published } = await db.transaction(async (trx) => {
        const outbox: OutboxWrite = { foundWritten: false, queued: 0 };
        for (const audit of input.audits) {
          const written = await writeAudit(trx, audit, audit.at ?? input.at);
          outbox.foundWritten ||= written.foundWritten;
          outbox.queued += written.queued;
        }
        return { outbox, published: input.published ? await writeView(trx, input.teamId, input.published, input.at) : false };
      });
      await relayAfterWrite(db, outbox);
      return { audited: input.audits.length, published };
    },
  };
}
