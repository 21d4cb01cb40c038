// The document email outbox: an invoice requested to be paid later (invoice first, section 7), a paid invoice's
// receipt, a credit note of money back to the card, and an API-credit account's low-balance alert, queued in the
// transaction that records the document (the invoice, the payment, the usage that crossed), under a key naming that
// document's email (so a retried write or a replayed usage event queues it once); the relay starts its email
// workflow after the commit. A team with nobody to tell (no admin and no billing manager with an email) queues
// nothing, so no email workflow starts only to send nothing; an alert's caller checks its account's owner and
// recipients the same way.
import { billingNoticeRecipients } from '../invitations/notice-recipients';
import type { DbOrTrx } from '../rows';

/** A low-balance alert's document_id is the alert's key; it belongs to an account, so its team_id is null. */
export type DocumentEmailKind = 'invoice_request' | 'invoice_receipt' | 'credit_note' | 'low_balance_alert';

export interface DocumentEmailRow {
  id: number;
  idempotency_key: string;
  team_id: string | null;
  kind: DocumentEmailKind;
  document_id: string;
}

/** Returns how many it queued: 0 for nobody to tell or a key queued already, else 1. */
export async function queueDocumentEmail(trx: DbOrTrx, email: { key: string; teamId: string | null; kind: DocumentEmailKind; documentId: string }): Promise<number> {
  if (email.teamId !== null && (await billingNoticeRecipients(trx, { teamId: email.teamId })).length === 0) return 0;
  const queued = await trx('document_emails')
    .insert({ idempotency_key: email.key, team_id: email.teamId, kind: email.kind, document_id: email.documentId })
    .onConflict('idempotency_key').ignore()
    .returning('id');
  return queued.length;
}
