// The document email outbox: a paid invoice's receipt, and a credit note of money back to the card, queued in the
// transaction that records the document's money, under a key naming that document's email (so a retried payment
// queues it once); the relay starts its email workflow after the commit. A team with nobody to tell (no admin and no
// billing manager with an email) queues nothing, so no email workflow starts only to send nothing.
import { billingNoticeRecipients } from '../invitations/notice-recipients';
import type { DbOrTrx } from '../rows';

export type DocumentEmailKind = 'invoice_receipt' | 'credit_note';

export interface DocumentEmailRow {
  id: number;
  idempotency_key: string;
  team_id: string;
  kind: DocumentEmailKind;
  document_id: string;
}

export async function queueDocumentEmail(trx: DbOrTrx, email: { key: string; teamId: string; kind: DocumentEmailKind; documentId: string }): Promise<void> {
  if ((await billingNoticeRecipients(trx, { teamId: email.teamId })).length === 0) return;
  await trx('document_emails')
    .insert({ idempotency_key: email.key, team_id: email.teamId, kind: email.kind, document_id: email.documentId })
    .onConflict('idempotency_key').ignore();
}
