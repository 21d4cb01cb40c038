// What each ledger fact tells the platform. Called by the activities that write the fact, inside their
// transaction; every event's key is the fact's own key plus the event type, so a retried write records it once.
// Those on the billing day's path return how much they queued (deliveries and emails): the relay after the commit
// has work only then, or when the fact was written by an earlier attempt whose relay may not have run.
import type { CreditNoteRow, DbOrTrx, InvoiceRow, NotificationRow } from '../rows';

export type { NotificationRow } from '../rows';
import type { Day } from '../../domain';
import { queueDocumentEmail } from './document-emails';
import { queueNotificationEmails } from './notification-emails';
import { recordWebhookEvent, recordWebhookEvents } from './webhook-events';

function invoiceData(invoice: InvoiceRow): Record<string, unknown> {
  return {
    invoiceId: invoice.id, number: invoice.number, reason: invoice.reason, status: invoice.status, currency: 'usd',
    issuedOn: invoice.issued_on, dueOn: invoice.due_on, purchaseOrder: invoice.purchase_order ?? null, periodStart: invoice.period_start, periodEnd: invoice.period_end,
    net: invoice.net, tax: invoice.tax, taxRateBasisPoints: invoice.tax_rate_bp, taxTreatment: invoice.tax_treatment, total: invoice.total, balanceApplied: invoice.balance_applied, creditsApplied: invoice.credits_applied, charged: invoice.charged,
  };
}

/** What an invoice line says it bills (invoice_lines.kind, plan, interval). */
interface PeriodFacts {
  kind: string;
  plan?: string | null;
  interval?: string | null;
}

const startOf = (day: Day) => `${day}T00:00:00.000Z`;

/**
 * A new invoice, final at once: numbered, its tax decided (invoice.finalized). An immediate plan change changes the
 * subscription now; `lines` are the lines it was written with.
 */
export async function invoiceIssued(trx: DbOrTrx, invoice: InvoiceRow, lines: readonly PeriodFacts[], at: string): Promise<number> {
  const base = { teamId: invoice.team_id, occurredAt: at };
  let queued = await recordWebhookEvents(trx, [
    { ...base, key: `${invoice.idempotency_key}:invoice.created`, type: 'invoice.created', data: invoiceData(invoice) },
    { ...base, key: `${invoice.idempotency_key}:invoice.finalized`, type: 'invoice.finalized', data: invoiceData(invoice) },
  ]);
  // Section 7, invoice first: an invoice issued with a due day is to be paid later, so the billing recipients get it
  // (its figures, due day, how to pay, its PDF), once per invoice.
  if (invoice.due_on !== null) {
    queued += await queueDocumentEmail(trx, { key: `${invoice.idempotency_key}:request`, teamId: invoice.team_id, kind: 'invoice_request', documentId: invoice.id });
  }
  if (invoice.reason !== 'plan_change') return queued;
  // Its period line bills the plan and interval the change moves to.
  const period = lines.find((line) => line.kind === 'period');
  const plan = period?.plan ?? null;
  const interval = period?.interval ?? null;
  return queued + await recordWebhookEvent(trx, {
    ...base, key: `${invoice.idempotency_key}:subscription.changed`, type: 'subscription.changed',
    data: { plan, interval, effectiveOn: invoice.issued_on, periodStart: invoice.period_start, periodEnd: invoice.period_end, invoiceId: invoice.id },
  });
}

/**
 * A paid invoice. The first period's invoice (subscribe, trial end, a seat order) being paid activates the subscription; so does
 * a dunning retry (attempt 2 or later) that succeeds: past due → active.
 */
export async function invoicePaid(trx: DbOrTrx, invoice: InvoiceRow, at: string): Promise<number> {
  const base = { teamId: invoice.team_id, occurredAt: at };
  let queued = await recordWebhookEvent(trx, { ...base, key: `${invoice.idempotency_key}:invoice.paid`, type: 'invoice.paid', data: invoiceData(invoice) });
  // Section 13: the billing recipients get the receipt, with a link to the invoice's PDF, once per paid invoice.
  queued += await queueDocumentEmail(trx, { key: `${invoice.idempotency_key}:receipt`, teamId: invoice.team_id, kind: 'invoice_receipt', documentId: invoice.id });
  const attempt = invoice.charge_attempt ?? 1;
  const firstPeriod = invoice.reason === 'subscribe' || invoice.reason === 'trial_end' || invoice.reason === 'seat_order';
  if (!firstPeriod && attempt < 2) return queued;
  return queued + await recordWebhookEvent(trx, {
    ...base, key: `${invoice.idempotency_key}:subscription.activated`, type: 'subscription.activated',
    data: { reason: attempt >= 2 ? 'payment_recovered' : invoice.reason, invoiceId: invoice.id, periodStart: invoice.period_start, periodEnd: invoice.period_end },
  });
}

export async function invoiceVoided(trx: DbOrTrx, invoice: InvoiceRow, at: string): Promise<number> {
  return recordWebhookEvent(trx, { teamId: invoice.team_id, occurredAt: at, key: `${invoice.idempotency_key}:invoice.voided`, type: 'invoice.voided', data: invoiceData(invoice) });
}

/** A credit note: its number, the invoice it corrects, its amounts (negative) and where the money went. */
export async function creditNoteCreated(trx: DbOrTrx, note: CreditNoteRow, invoice: InvoiceRow, at: string): Promise<void> {
  await recordWebhookEvent(trx, {
    teamId: note.team_id, occurredAt: at, key: `${note.idempotency_key}:credit_note.created`, type: 'credit_note.created',
    data: {
      creditNoteId: note.id, number: note.number, invoiceId: invoice.id, invoiceNumber: invoice.number, reason: note.reason, to: note.to,
      currency: 'usd', issuedOn: note.issued_on, net: note.net, tax: note.tax, taxRateBasisPoints: note.tax_rate_bp, total: note.total,
    },
  });
  // Money back to the card (a refund, a void): the credit note's email links its PDF.
  if (note.to === 'card') await queueDocumentEmail(trx, { key: `${note.idempotency_key}:email`, teamId: note.team_id, kind: 'credit_note', documentId: note.id });
}

/** An in-product notice: its emails are queued, and the events it stands for recorded. */
export async function notificationRecorded(trx: DbOrTrx, notice: NotificationRow, at: string = startOf(notice.on)): Promise<number> {
  const emails = await queueNotificationEmails(trx, notice);
  return emails + (await noticeEvents(trx, notice, at));
}

/** The webhook events a notice stands for; returns the deliveries queued. */
async function noticeEvents(trx: DbOrTrx, notice: NotificationRow, at: string): Promise<number> {
  const payload = notice.payload;
  const base = { teamId: notice.team_id, organizationId: notice.organization_id ?? null, occurredAt: at };
  const record = (type: Parameters<typeof recordWebhookEvent>[1]['type'], data: Record<string, unknown>) =>
    recordWebhookEvent(trx, { ...base, key: `${notice.idempotency_key}:${type}`, type, data });
  switch (notice.kind) {
    case 'payment_failed': {
      const nextTryOn = (payload.nextTryOn as Day | null | undefined) ?? null;
      const failed = await record('invoice.payment_failed', { invoiceId: payload.invoiceId, total: payload.total, attempt: payload.attempt, code: payload.code ?? null, nextTryOn, final: nextTryOn === null });
      if (payload.attempt !== 1 || (await droppedToFree(trx, notice))) return failed;
      return failed + (await record('subscription.past_due', { invoiceId: payload.invoiceId, since: notice.on, nextTryOn }));
    }
    case 'downgraded_to_free':
      // Its team.restricted, when over the Free capacity, comes from the audit row of the same change (./audit-events.ts).
      return record('subscription.downgraded_to_free', { on: notice.on, reason: payload.reason, members: payload.members, restricted: payload.restricted });
    case 'expiry_notice':
      return record('seat_order.expiring', { on: notice.on, ...payload });
    case 'price_change_notice': // section 14: from, to, version, effectiveOn
      return record('price.change_scheduled', { on: notice.on, ...payload });
    case 'billing_manager_invited':
      return record('billing_manager.invited', { invitationId: payload.invitationId, email: notice.recipient_email, expiresAt: payload.expiresAt });
    case 'billing_manager_added':
      return record('billing_manager.accepted', { invitationId: payload.invitationId, userId: payload.userId });
  }
  return 0;
}

/** A canceled period's last member charge is made after the team is on Free: its decline is no past due. */
async function droppedToFree(trx: DbOrTrx, notice: NotificationRow): Promise<boolean> {
  if (!notice.team_id) return false;
  return (await trx('notifications').where({ team_id: notice.team_id, kind: 'downgraded_to_free', on: notice.on }).first('id')) !== undefined;
}

export async function invitationExpired(
  trx: DbOrTrx,
  invitation: { invitationId: string; scope: { teamId: string } | { organizationId: string }; email: string; expiresAt: string },
  at: string,
): Promise<void> {
  const scope = 'teamId' in invitation.scope ? { teamId: invitation.scope.teamId } : { organizationId: invitation.scope.organizationId };
  await recordWebhookEvent(trx, {
    ...scope, occurredAt: at, key: `invitation:${invitation.invitationId}:billing_manager.invitation_expired`, type: 'billing_manager.invitation_expired',
    data: { invitationId: invitation.invitationId, email: invitation.email, expiredAt: invitation.expiresAt },
  });
}
