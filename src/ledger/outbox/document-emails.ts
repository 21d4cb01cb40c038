// The document email outbox: an invoice requested to be paid later (invoice first, section 7), a paid invoice's
// receipt, and a credit note of money back to the card, queued in the transaction that records the document's money,
// under a key naming that document's email (so a retried write queues it once); the relay starts its email workflow
// after the commit.
import type { DbOrTrx } from '../rows';

export type DocumentEmailKind = 'invoice_request' | 'invoice_receipt' | 'credit_note';

export interface DocumentEmailRow {
  id: number;
  idempotency_key: string;
  team_id: string;
  kind: DocumentEmailKind;
  document_id: string;
}

export async function queueDocumentEmail(trx: DbOrTrx, email: { key: string; teamId: string; kind: DocumentEmailKind; documentId: string }): Promise<void> {
  await trx('document_emails')
    .insert({ idempotency_key: email.key, team_id: email.teamId, kind: email.kind, document_id: email.documentId })
    .onConflict('idempotency_key').ignore();
}
