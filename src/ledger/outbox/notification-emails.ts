// The email outbox: a notice with a template is queued for email in the transaction that records it; the relay
// starts its email workflow after the commit.
import type { DbOrTrx } from '../rows';
import { hasTemplate } from '../../email/templates';

export async function queueNotificationEmails(trx: DbOrTrx, notice: { id: number; kind: string }): Promise<void> {
  if (!hasTemplate(notice.kind)) return;
  await trx('notification_emails').insert({ notification_id: notice.id }).onConflict('notification_id').ignore();
}
