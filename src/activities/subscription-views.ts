// What a change of a team's subscription leaves in the ledger, written by its workflow in one local activity (before
// the change's request answers, or under records-after-answer by the run's records timer just after): the audit rows
// of the change (with their webhook events), and the read model's row (src/ledger/subscription-views.ts).
import type { SubscriptionViewPublication } from '../workflows/team-subscription-messages';
import { publishView } from '../ledger/subscription-views';
import { relayAfterWrite, type OutboxWrite } from './relay';
import { writeAudit, type RecordAuditInput } from './audit';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';

export interface RecordSubscriptionChangeInput {
  teamId: string;
  /** In the order the changes happened; each idempotent under its key. */
  audits: RecordAuditInput[];
  /** The view after them, when it changed. */
  published: SubscriptionViewPublication | null;
  /** The workflow's time. */
  at: string;
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
        return { outbox, published: input.published ? await publishView(trx, input.teamId, input.published, input.at) : false };
      });
      await relayAfterWrite(db, outbox);
      return { audited: input.audits.length, published };
    },
  };
}
