// A refund of a whole invoice (section 10): each part goes back the way it came. The card part through the
// provider (refundPayment, under `<key>`), then in ONE transaction the balance part to the team balance and each
// credit use to the grant it came from, keeping that grant's expiry. Every row is written once per key, so a
// retried activity gives back each cent once.
import { dayOf, epochMs, type Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, requireText } from './failures';
import { invoiceClosed, lockInvoiceAndTeam } from './invoices';
import { insertOnce, type DbOrTrx, type InvoiceRow, type PaymentRow } from '../ledger/rows';
import { issueCreditNote } from './credit-notes';
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

export function invoiceRefundActivities(deps: BillingDependencies) {
  const { refundPayment } = refundActivities(deps);
  const { db, seller = DEFAULT_SELLER } = deps;
  return {
    async refundInvoice(input: RefundInvoiceInput): Promise<InvoiceRefund> {
      requireText(input.key, 'key');
      const invoice = (await db('invoices').where({ id: input.invoiceId }).first()) as InvoiceRow | undefined;
      if (!invoice) throw nonRetryable('UnknownInvoice', `no invoice ${input.invoiceId}`, { invoiceId: input.invoiceId });
      if (invoice.status !== 'paid') throw invoiceClosed(invoice, 'only a paid invoice can be refunded');
      const payment = (await db('payments').where({ invoice_id: invoice.id }).first()) as PaymentRow | undefined;
      const card = payment ? await refundPayment({ key: input.key, paymentId: payment.id, at: input.at }) : null;
      const returned = await db.transaction(async (trx) => {
        // Section 13: the refund is a credit note of the whole invoice; with a card part, refundPayment issued it already.
        if (!payment && invoice.total > 0) {
          await issueCreditNote(trx, seller, { key: `${input.key}:credit_note`, invoiceId: invoice.id, reason: 'refund', to: 'balance', on: dayOf(input.at), at: input.at });
        }
        const returned = await giveBackBalanceAndCredits(trx, invoice.id, input);
        // A card refunded in part before: the rest of the invoice (the card's rest, balance, credits) is credited here.
        if (payment) await creditWhatIsLeft(trx, seller, { key: `${input.key}:credit_note:rest`, invoiceId: invoice.id, reason: 'refund', to: 'balance', on: dayOf(input.at), at: input.at });
        return returned;
      });
      await relayFromActivity(db);
      return { refundId: card?.refundId ?? invoice.id, paymentId: payment?.id ?? null, amount: card?.amount ?? 0, ...returned };
    },
  };
}

async function giveBackBalanceAndCredits(trx: DbOrTrx, invoiceId: string, input: RefundInvoiceInput): Promise<{ balanceReturned: Cents; creditsReturned: Cents }> {
  const invoice = await lockInvoiceAndTeam(trx, invoiceId);
  if (!invoice.refunded_at) await trx('invoices').where({ id: invoice.id }).update({ refunded_at: input.at, updated_at: trx.fn.now() });
  if (invoice.balance_applied > 0) {
    await insertOnce(trx, 'balance_transactions', {
      team_id: invoice.team_id,
      idempotency_key: `${input.key}:balance`,
      amount: invoice.balance_applied,
      reason: 'refund',
      invoice_id: invoice.id,
      on: dayOf(input.at),
    }, ['team_id', 'amount']);
  }
  const uses = (await trx('credit_transactions').where({ invoice_id: invoice.id, kind: 'used' }).select('grant_id', 'amount')) as CreditUseRow[];
  let creditsReturned = 0;
  for (const use of uses) {
    creditsReturned += use.amount;
    const { created } = await insertOnce(trx, 'credit_transactions', {
      grant_id: use.grant_id, idempotency_key: `${input.key}:credit:${use.grant_id}`, kind: 'refunded',
      team_id: invoice.team_id, invoice_id: invoice.id, amount: use.amount, at: input.at,
    }, ['grant_id', 'amount']);
    if (!created) continue;
    const grant = (await trx('credit_grants').where({ id: use.grant_id }).forUpdate().first('expires_at')) as { expires_at: Date };
    if (epochMs(input.at) <= grant.expires_at.getTime()) {
      await trx('credit_grants').where({ id: use.grant_id }).increment('remaining', use.amount);
      continue;
    }
    // The grant's last day has passed: what comes back to it expires at once, as it would have.
    await trx('credit_transactions').insert({
      grant_id: use.grant_id, idempotency_key: `${input.key}:credit:${use.grant_id}:expired`, kind: 'expired',
      team_id: invoice.team_id, amount: use.amount, at: input.at,
    });
  }
  return { balanceReturned: invoice.balance_applied, creditsReturned };
}
