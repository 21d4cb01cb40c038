// A refund of a whole invoice (section 10), or the void of a paid one issued in error (section 13): each part goes
// back the way it came. The card part through the provider (refundPayment, under `<key>`), then in ONE transaction
// the balance part to the team balance and each credit use to the grant it came from, keeping that grant's expiry.
// Every row is written once per key, so a retried activity gives back each cent once.
// What earlier credit notes gave back (a removed member's refund to the balance, a partial refund) is not given
// back again: the refund is the invoice's total less those, taken from the card part first, then the balance
// part, then the credits (cash paid comes back as cash; referral credits last).
import { dayOf, epochMs, type Day, type Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, requireText } from './failures';
import { invoiceClosed, lockInvoiceAndTeam } from './invoices';
import { issuedCreditNotes } from '../ledger/credit-notes';
import { insertOnce, type CreditNoteReason, type DbOrTrx, type InvoiceRow, type PaymentRow } from '../ledger/rows';
import { invoiceVoided } from '../ledger/outbox/ledger-events';
import { creditWhatIsLeft } from './partial-credit-notes';
import { DEFAULT_SELLER } from './documents';
import { refundActivities } from './refunds';
import { relayFromActivity } from './relay';

export interface RefundInvoiceInput {
  /** `<invoice key>:refund`: the same key is the same refund. */
  key: string;
  invoiceId: string;
  at: Instant;
}

export interface InvoiceRefund {
  /** The card's refund; the invoice's id when the card paid nothing (the refund is the balance and credits alone). */
  refundId: string;
  paymentId: string | null;
  /** To the card. */
  amount: Cents;
  balanceReturned: Cents;
  creditsReturned: Cents;
}

interface CreditUseRow {
  grant_id: string;
  amount: Cents;
}

/** A paid invoice issued in error, voided under `<invoice key>:void`: one void per invoice, however often asked. */
export interface VoidPaidInvoiceInput {
  invoiceId: string;
  at: Instant;
}

/** The void's money back (as a refund's), and the invoice's facts the team's workflow decides the period by. */
export interface VoidedInvoice extends InvoiceRefund {
  invoiceKey: string;
  periodStart: Day | null;
}

type GiveBackReason = Extract<CreditNoteReason, 'refund' | 'void'>;

export function invoiceRefundActivities(deps: BillingDependencies) {
  const { refundPayment } = refundActivities(deps);
  const { db, seller = DEFAULT_SELLER } = deps;

  /**
   * The one path money goes back on a whole invoice, for a refund and for a void: the same parts, the same rows,
   * only the credit notes' reason differs, and a void also closes the invoice as `void` (it keeps its number).
   */
  async function giveBack(input: RefundInvoiceInput, reason: GiveBackReason): Promise<{ invoice: InvoiceRow; refund: InvoiceRefund }> {
    requireText(input.key, 'key');
    const invoice = (await db('invoices').where({ id: input.invoiceId }).first()) as InvoiceRow | undefined;
    if (!invoice) throw nonRetryable('UnknownInvoice', `no invoice ${input.invoiceId}`, { invoiceId: input.invoiceId });
    // A retried void finds the invoice void already, by its own credit notes: it gives back nothing twice.
    const retriedVoid = reason === 'void' && invoice.status === 'void' && (await db('credit_notes').whereIn('idempotency_key', ownNoteKeys(input.key)).first('id')) !== undefined;
    if (invoice.status !== 'paid' && !retriedVoid) throw invoiceClosed(invoice, `only a paid invoice can be ${reason === 'void' ? 'voided' : 'refunded'}`);
    const payment = (await db('payments').where({ invoice_id: invoice.id }).first()) as PaymentRow | undefined;
    const parts = await refundParts(db, invoice, payment, input.key);
    if (reason === 'void' && parts.card + parts.balance + parts.credits === 0 && !retriedVoid) {
      throw invoiceClosed(invoice, 'its credit notes give all of it back already: nothing is left to void');
    }
    // The whole card payment: refundPayment's credit note is the whole invoice. Less than it: a note of its amount.
    const whole = payment !== undefined && parts.card === payment.amount;
    const card = payment && parts.card > 0
      ? await refundPayment({ key: input.key, paymentId: payment.id, at: input.at, reason, ...(whole ? {} : { amount: parts.card }) })
      : null;
    const returned = await db.transaction(async (trx) => {
      const returned = await giveBackBalanceAndCredits(trx, invoice.id, input, parts);
      // Section 13: what the card part's note left of the invoice (balance, credits; all of it with no card part).
      const key = payment ? `${input.key}:credit_note:rest` : `${input.key}:credit_note`;
      await creditWhatIsLeft(trx, seller, { key, invoiceId: invoice.id, reason, to: 'balance', on: dayOf(input.at), at: input.at });
      if (reason === 'void') await closeAsVoid(trx, invoice.id, input.at);
      return returned;
    });
    await relayFromActivity(db);
    return { invoice, refund: { refundId: card?.refundId ?? invoice.id, paymentId: payment?.id ?? null, amount: card?.amount ?? 0, ...returned } };
  }

  return {
    async refundInvoice(input: RefundInvoiceInput): Promise<InvoiceRefund> {
      return (await giveBack(input, 'refund')).refund;
    },
    /** Section 13: a paid invoice issued in error is voided; what is left of it goes back the way it was paid. */
    async voidPaidInvoice(input: VoidPaidInvoiceInput): Promise<VoidedInvoice> {
      const known = (await db('invoices').where({ id: input.invoiceId }).first('idempotency_key')) as { idempotency_key: string } | undefined;
      if (!known) throw nonRetryable('UnknownInvoice', `no invoice ${input.invoiceId}`, { invoiceId: input.invoiceId });
      const { invoice, refund } = await giveBack({ ...input, key: `${known.idempotency_key}:void` }, 'void');
      return { ...refund, invoiceKey: invoice.idempotency_key, periodStart: invoice.period_start };
    },
  };
}

/** The paid invoice becomes void, once (a retry finds it void): its number stays, `invoice.voided` tells the platform. */
async function closeAsVoid(trx: DbOrTrx, invoiceId: string, at: Instant): Promise<void> {
  const [row] = (await trx('invoices').where({ id: invoiceId, status: 'paid' })
    .update({ status: 'void', updated_at: trx.fn.now() }).returning('*')) as InvoiceRow[];
  if (row) await invoiceVoided(trx, row, at);
}

/** This refund's own credit notes: a retry finds them written, and they are not among what was given back before. */
const ownNoteKeys = (key: string) => [`${key}:credit_note`, `${key}:credit_note:rest`];

interface RefundParts {
  card: Cents;
  balance: Cents;
  credits: Cents;
}

/**
 * left = total − what other credit notes gave back; card = min(left, card paid − refunded by others);
 * balance = min(left − card, balance applied); credits = left − card − balance. Computed from facts a retry of
 * this refund does not change (its own refund and notes are left out), so each try asks for the same amounts.
 */
async function refundParts(db: DbOrTrx, invoice: InvoiceRow, payment: PaymentRow | undefined, key: string): Promise<RefundParts> {
  const before = (await issuedCreditNotes(db).where({ invoice_id: invoice.id }).whereNotIn('idempotency_key', ownNoteKeys(key))
    .first(db.raw('coalesce(-sum(total), 0)::bigint as total'))) as { total: string | number };
  const left = Math.max(0, invoice.total - Number(before.total));
  const own = payment ? ((await db('payment_refunds').where({ idempotency_key: key }).first('amount')) as { amount: Cents } | undefined) : undefined;
  const cardLeft = payment ? payment.amount - payment.refunded_amount + (own?.amount ?? 0) : 0;
  const card = Math.min(left, cardLeft);
  const balance = Math.min(left - card, invoice.balance_applied);
  return { card, balance, credits: left - card - balance };
}

async function giveBackBalanceAndCredits(trx: DbOrTrx, invoiceId: string, input: RefundInvoiceInput, parts: RefundParts): Promise<{ balanceReturned: Cents; creditsReturned: Cents }> {
  const invoice = await lockInvoiceAndTeam(trx, invoiceId);
  if (!invoice.refunded_at) await trx('invoices').where({ id: invoice.id }).update({ refunded_at: input.at, updated_at: trx.fn.now() });
  if (parts.balance > 0) {
    await insertOnce(trx, 'balance_transactions', {
      team_id: invoice.team_id,
      idempotency_key: `${input.key}:balance`,
      amount: parts.balance,
      reason: 'refund',
      invoice_id: invoice.id,
      on: dayOf(input.at),
    }, ['team_id', 'amount']);
  }
  const uses = (await trx('credit_transactions').where({ invoice_id: invoice.id, kind: 'used' }).orderBy('id').select('grant_id', 'amount')) as CreditUseRow[];
  let creditsReturned = 0;
  for (const use of uses) {
    const amount = Math.min(use.amount, parts.credits - creditsReturned); // each use in turn, up to the credits part
    if (amount <= 0) break;
    creditsReturned += amount;
    const { created } = await insertOnce(trx, 'credit_transactions', {
      grant_id: use.grant_id, idempotency_key: `${input.key}:credit:${use.grant_id}`, kind: 'refunded',
      team_id: invoice.team_id, invoice_id: invoice.id, amount, at: input.at,
    }, ['grant_id', 'amount']);
    if (!created) continue;
    const grant = (await trx('credit_grants').where({ id: use.grant_id }).forUpdate().first('expires_at')) as { expires_at: Date };
    if (epochMs(input.at) <= grant.expires_at.getTime()) {
      await trx('credit_grants').where({ id: use.grant_id }).increment('remaining', amount);
      continue;
    }
    // The grant's last day has passed: what comes back to it expires at once, as it would have.
    await trx('credit_transactions').insert({
      grant_id: use.grant_id, idempotency_key: `${input.key}:credit:${use.grant_id}:expired`, kind: 'expired',
      team_id: invoice.team_id, amount, at: input.at,
    });
  }
  return { balanceReturned: parts.balance, creditsReturned };
}
