// Sending each email once: a message row per (notice, recipient) is written before sending and marked sent after.
// A retry skips the sent ones; a crash between the SMTP answer and the mark may resend one, with the same
// Message-ID, which receiving servers use to drop duplicates.
import { createHash } from 'node:crypto';
import type { CreditNoteRow, DbOrTrx, InvoiceRow, NotificationRow } from '../ledger/rows';
import type { DocumentEmailKind, DocumentEmailRow } from '../ledger/outbox/document-emails';
import { creditNoteParts } from '../domain/refunds';
import { billingNoticeRecipients, scopeName } from '../ledger/invitations/notice-recipients';
import type { Mailer } from './mailer';
import type { EmailSettings } from './settings';
import { lowBalanceAlertEmail, type DocumentEmail } from './low-balance-alert';
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
 * A document's email: an invoice to pay by its due day (section 7), a paid invoice's receipt or a credit note to the
 * card (section 13), to the team's billing recipients (admins and billing managers, as its notices), with its figures,
 * how the money moves, and its PDF's link; or an API-credit account's low-balance alert (section 12) to its owner and
 * the recipients it set.
 */
export async function sendDocumentEmails(db: DbOrTrx, settings: EmailSettings, documentEmailId: number): Promise<{ sent: number; recipients: number }> {
  const email = (await db('document_emails').where({ id: documentEmailId }).first()) as DocumentEmailRow | undefined;
  if (!email) return { sent: 0, recipients: 0 };
  const document = email.team_id === null
    ? await lowBalanceAlertEmail(db, settings, email.document_id)
    : await teamDocumentEmail(db, settings, { ...email, team_id: email.team_id });
  // An invoice paid or voided before its email went out is no longer to be paid: its receipt or void says the rest.
  if (!document) return { sent: 0, recipients: 0 };
  const { facts, recipients } = document;
  const content = renderEmail(email.kind, facts);
  let sent = 0;
  for (const to of recipients) {
    if (await sendOnce(db, settings.mailer, { key: `document:${email.idempotency_key}:${to}`, to, template: email.kind, content })) sent += 1;
  }
  return { sent, recipients: recipients.length };
}

async function teamDocumentEmail(db: DbOrTrx, settings: EmailSettings, email: DocumentEmailRow & { team_id: string }): Promise<DocumentEmail | null> {
  const team = `/v1/teams/${encodeURIComponent(email.team_id)}`;
  const facts = email.kind === 'low_balance_alert' ? null : await DOCUMENT_FACTS[email.kind](db, email.document_id, team);
  if (!facts) return null;
  const { payload, path } = facts;
  const scope = { teamId: email.team_id };
  return {
    facts: { on: String(payload.issuedOn), payload, scopeName: await scopeName(db, scope), documentUrl: settings.apiUrl(path) },
    recipients: (await billingNoticeRecipients(db, scope)).map((recipient) => recipient.email),
  };
}

type DocumentFacts = { payload: Record<string, unknown>; path: string };

const DOCUMENT_FACTS: Record<Exclude<DocumentEmailKind, 'low_balance_alert'>, (db: DbOrTrx, documentId: string, team: string) => Promise<DocumentFacts | null>> = {
  invoice_request: requestFacts,
  invoice_receipt: receiptFacts,
  credit_note: creditNoteFacts,
};

const invoicePdf = (team: string, invoice: InvoiceRow) => `${team}/invoices/${encodeURIComponent(invoice.id)}/pdf`;

/** An open invoice's figures; what the balance and credits already cover (held for it) leaves `card` to pay. */
async function requestFacts(db: DbOrTrx, invoiceId: string, team: string): Promise<DocumentFacts | null> {
  const invoice = (await db('invoices').where({ id: invoiceId }).first()) as InvoiceRow;
  if (invoice.status !== 'open') return null;
  const { number, issued_on: issuedOn, due_on: dueOn, purchase_order: purchaseOrder = null, net, tax, total, balance_applied: balance, credits_applied: credits, charged: due } = invoice;
  return { payload: { number, issuedOn, dueOn, purchaseOrder, net, tax, total, balance, credits, due }, path: invoicePdf(team, invoice) };
}

async function receiptFacts(db: DbOrTrx, invoiceId: string, team: string): Promise<DocumentFacts> {
  const invoice = (await db('invoices').where({ id: invoiceId }).first()) as InvoiceRow;
  const { number, issued_on: issuedOn, net, tax, total, balance_applied: balance, credits_applied: credits, charged: card } = invoice;
  return { payload: { number, issuedOn, net, tax, total, balance, credits, card }, path: invoicePdf(team, invoice) };
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
