// The email outbox: a notice with a template is queued for email in the transaction that records it; the relay
// starts its email workflow after the commit.
import type { DbOrTrx } from '../rows';
import { hasTemplate } from '../../email/templates';

/** Returns how many it queued: 0 for a notice without a template or one queued already, else 1. */
export async function queueNotificationEmails(trx: DbOrTrx, notice: { id: number; kind: string }): Promise<number> {
  if (!hasTemplate(notice.kind)) return 0;
  const queued = await trx('notification_emails').insert({ notification_id: notice.id }).onConflict('notification_id').ignore().returning('notification_id');
  return queued.length;
}
