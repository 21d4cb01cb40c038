// Sending each email once: a message row per (notice, recipient) is written before sending and marked sent after.
// A retry skips the sent ones; a crash between the SMTP answer and the mark may resend one, with the same
// Message-ID, which receiving servers use to drop duplicates.
import { createHash } from 'node:crypto';
import type { CreditNoteRow, DbOrTrx, InvoiceRow, NotificationRow } from '../ledger/rows';
import type { DocumentEmailRow } from '../ledger/outbox/document-emails';
import { creditNoteParts } from '../domain/refunds';
import { billingNoticeRecipients, scopeName } from '../ledger/invitations/notice-recipients';
import type { Mailer } from './mailer';
import type { EmailSettings } from './settings';
import { hasTemplate, renderEmail, type EmailContent } from './templates';

export interface EmailToSend {
  /** e.g. `notification:42:ann@example.com`. */
  key: string;
  to: string;
  template: string;
  content: EmailContent;
}

export async function sendOnce(db: DbOrTrx, mailer: Mailer, email: EmailToSend): Promise<boolean> {
  const messageId = `<${createHash('sha256').update(email.key).digest('hex').slice(0, 32)}@seatbill>`;
  await db('email_messages')
    .insert({ idempotency_key: email.key, recipient: email.to, template: email.template, subject: email.content.subject, message_id: messageId })
    .onConflict('idempotency_key')
    .ignore();
  const row = (await db('email_messages').where({ idempotency_key: email.key }).first('status')) as { status: string };
  if (row.status === 'sent') return false;
  await mailer.send({ to: email.to, messageId, ...email.content });
  await db('email_messages').where({ idempotency_key: email.key }).update({ status: 'sent', sent_at: db.fn.now() });
  return true;
}

/** The emails of one notice: to its one recipient, or to the scope's admins and billing managers (section 11). */
export async function sendNotificationEmails(db: DbOrTrx, settings: EmailSettings, notificationId: number): Promise<{ sent: number; recipients: number }> {
  const notice = (await db('notifications').where({ id: notificationId }).first()) as NotificationRow | undefined;
  if (!notice || !hasTemplate(notice.kind)) return { sent: 0, recipients: 0 };
  const scope = notice.team_id !== null ? { teamId: notice.team_id } : { organizationId: notice.organization_id! };
  const recipients = await recipientsOf(db, notice, scope);
  const invitationId = typeof notice.payload.invitationId === 'string' ? notice.payload.invitationId : null;
  const content = renderEmail(notice.kind, {
    on: String(notice.on),
    payload: notice.payload,
    scopeName: await scopeName(db, scope),
    ...(invitationId ? { acceptUrl: settings.acceptUrl(invitationId) } : {}),
  });
  let sent = 0;
  for (const to of recipients) {
    if (await sendOnce(db, settings.mailer, { key: `notification:${notice.id}:${to}`, to, template: notice.kind, content })) sent += 1;
  }
  return { sent, recipients: recipients.length };
}

/**
 * A document's email (section 13) to the team's billing recipients (admins and billing managers, as its notices):
 * a paid invoice's receipt or a credit note to the card, with its figures, how the money moved, and its PDF's link.
 */
export async function sendDocumentEmails(db: DbOrTrx, settings: EmailSettings, documentEmailId: number): Promise<{ sent: number; recipients: number }> {
  const email = (await db('document_emails').where({ id: documentEmailId }).first()) as DocumentEmailRow | undefined;
  if (!email) return { sent: 0, recipients: 0 };
  const team = `/v1/teams/${encodeURIComponent(email.team_id)}`;
  const { payload, path } = email.kind === 'invoice_receipt'
    ? await receiptFacts(db, email.document_id, team)
    : await creditNoteFacts(db, email.document_id, team);
  const scope = { teamId: email.team_id };
  const content = renderEmail(email.kind, {
    on: String(payload.issuedOn), payload, scopeName: await scopeName(db, scope), documentUrl: settings.apiUrl(path),
  });
  const recipients = (await billingNoticeRecipients(db, scope)).map((recipient) => recipient.email);
  let sent = 0;
  for (const to of recipients) {
    if (await sendOnce(db, settings.mailer, { key: `document:${email.idempotency_key}:${to}`, to, template: email.kind, content })) sent += 1;
  }
  return { sent, recipients: recipients.length };
}

type DocumentFacts = { payload: Record<string, unknown>; path: string };

async function receiptFacts(db: DbOrTrx, invoiceId: string, team: string): Promise<DocumentFacts> {
  const invoice = (await db('invoices').where({ id: invoiceId }).first()) as InvoiceRow;
  const { number, issued_on: issuedOn, net, tax, total, balance_applied: balance, credits_applied: credits, charged: card } = invoice;
  return { payload: { number, issuedOn, net, tax, total, balance, credits, card }, path: `${team}/invoices/${encodeURIComponent(invoice.id)}/pdf` };
}

async function creditNoteFacts(db: DbOrTrx, creditNoteId: string, team: string): Promise<DocumentFacts> {
  const note = (await db('credit_notes').where({ id: creditNoteId }).first()) as CreditNoteRow;
  const invoice = (await db('invoices').where({ id: note.invoice_id }).first()) as InvoiceRow;
  const went = creditNoteParts(note, { balance: invoice.balance_applied, credits: invoice.credits_applied, card: invoice.charged });
  return {
    payload: { number: note.number, invoiceNumber: invoice.number, issuedOn: note.issued_on, net: note.net, tax: note.tax, total: note.total, ...went },
    path: `${team}/credit-notes/${encodeURIComponent(note.id)}/pdf`,
  };
}

async function recipientsOf(db: DbOrTrx, notice: NotificationRow, scope: { teamId: string } | { organizationId: string }): Promise<string[]> {
  if (notice.recipient_email) return [notice.recipient_email];
  if (notice.recipient_user_id) {
    const user = (await db('users').where({ id: notice.recipient_user_id }).first('email')) as { email: string } | undefined;
    return user ? [user.email] : [];
  }
  return (await billingNoticeRecipients(db, scope)).map((recipient) => recipient.email);
}
