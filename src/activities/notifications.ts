import type { Day } from '../domain/calendar';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';
import { insertOnce } from '../ledger/rows';
import { notificationRecorded, type NotificationRow } from '../ledger/outbox/ledger-events';
import { relayAfterWrite } from './relay';

export interface RecordNotificationInput {
  /** e.g. `team-1:2026-12-02:expiry_notice`: one message per key. */
  key: string;
  teamId: string;
  /** expiry_notice | renewal_reminder | payment_failed | downgraded_to_free | … */
  kind: string;
  on: Day;
  payload: Record<string, unknown>;
}

export function notificationActivities({ db }: BillingDependencies) {
  return {
    /** An in-product message for the team's admins and billing managers, in the outbox the API lists. */
    async recordNotification(input: RecordNotificationInput): Promise<{ notificationId: number }> {
      requireText(input.key, 'key');
      // The notice, its emails and its webhook events commit together; the relay sends them after the commit.
      const { row, outbox } = await db.transaction(async (trx) => {
        const { row, created } = await insertOnce<NotificationRow>(trx, 'notifications', {
          team_id: input.teamId,
          idempotency_key: input.key,
          kind: input.kind,
          on: input.on,
          payload: JSON.stringify(input.payload),
        }, ['team_id', 'kind']);
        return { row, outbox: { foundWritten: !created, queued: created ? await notificationRecorded(trx, row) : 0 } };
      });
      await relayAfterWrite(db, outbox);
      return { notificationId: row.id };
    },
  };
}
