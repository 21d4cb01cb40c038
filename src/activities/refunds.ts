import { dayOf, type Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, paymentFailure, providerFor, requireCents, requireText } from './failures';
import { issuedCreditNotes } from '../ledger/credit-notes';
import { insertOnce, newId, type CreditNoteReason, type PaymentRow } from '../ledger/rows';
import { issueCreditNote } from './credit-notes';
import { issuePartialCreditNote } from './partial-credit-notes';
import { DEFAULT_SELLER } from './documents';

export interface RefundPaymentInput {
  /** e.g. `<payment key>:refund`: the provider refunds once per key. */
  key: string;
  paymentId: string;
  /** What is left to refund when absent. */
  amount?: Cents;
  at: Instant;
  /** Why the money goes back: a refund (section 10) by default, or the void of a paid invoice issued in error. */
  reason?: Extract<CreditNoteReason, 'refund' | 'void'>;
}

export interface PaymentRefund {
  refundId: string;
  paymentId: string;
  providerRefundId: string;
  amount: Cents;
}

interface RefundRow {
  id: string;
  payment_id: string;
  provider_refund_id: string;
  amount: Cents;
}

export function refundActivities({ db, payments, seller = DEFAULT_SELLER }: BillingDependencies) {
  return {
    /**
     * Refunds a payment to its payment method (section 10) and records it on the payment. Whether the refund is
     * still allowed (72 hours, 14 days in the EU/UK) is the caller's decision, made once, before the first try.
     */
    async refundPayment(input: RefundPaymentInput): Promise<PaymentRefund> {
      requireText(input.key, 'key');
      const recorded = (await db('payment_refunds').where({ idempotency_key: input.key }).first()) as RefundRow | undefined;
      if (recorded) return sameRefund(recorded, input);
      const payment = (await db('payments').where({ id: input.paymentId }).first()) as PaymentRow | undefined;
      if (!payment) throw nonRetryable('UnknownPayment', `no payment ${input.paymentId}`, { paymentId: input.paymentId });
      const left = payment.amount - payment.refunded_amount;
      const amount = requireCents(input.amount ?? left, 'refund amount', 'positive');
      if (amount > left) throw nonRetryable('InvalidInput', `refund of ${amount} exceeds the ${left} left on payment ${payment.id}`);
      const provider = providerFor(payments, payment.provider);
      const refund = await provider
        .refund({ idempotencyKey: input.key, providerPaymentId: payment.provider_payment_id, amount })
        .catch((error: unknown) => {
          throw paymentFailure(error, { paymentId: payment.id, amount, idempotencyKey: input.key });
        });
      const row = await db.transaction(async (trx) => {
        const stored = await insertOnce<RefundRow>(trx, 'payment_refunds', {
          id: newId('rf'),
          payment_id: payment.id,
          idempotency_key: input.key,
          provider_refund_id: refund.providerRefundId,
          amount: refund.amount,
          refunded_at: input.at,
        }, ['payment_id', 'amount']);
        if (stored.created) {
          // The payment row is the running total; the CHECK keeps it within the amount paid.
          await trx('payments')
            .where({ id: payment.id })
            .update({
              refunded_amount: trx.raw('refunded_amount + ?', [refund.amount]),
              status: trx.raw("CASE WHEN refunded_amount + ? = amount THEN 'refunded' ELSE 'partially_refunded' END", [refund.amount]),
              updated_at: trx.fn.now(),
            });
          // Section 13, in the same transaction: the refund of a whole payment of an invoice nothing was credited on
          // yet is a credit note of the whole invoice; any other (a part, the rest after one, or after a removed
          // member's note) credits the amount refunded, VAT included, within what is left of the invoice.
          const note = { key: `${input.key}:credit_note`, reason: input.reason ?? 'refund', to: 'card', on: dayOf(input.at), at: input.at } as const;
          const creditedBefore = payment.invoice_id ? await issuedCreditNotes(trx).where({ invoice_id: payment.invoice_id }).first('id') : undefined;
          if (payment.invoice_id && !creditedBefore && payment.refunded_amount === 0 && refund.amount === payment.amount) {
            await issueCreditNote(trx, seller, { ...note, invoiceId: payment.invoice_id });
          } else if (payment.invoice_id) {
            await issuePartialCreditNote(trx, seller, { ...note, invoiceId: payment.invoice_id, gross: refund.amount });
          }
        }
        return stored.row;
      });
      return refundResult(row);
    },
  };
}

function sameRefund(row: RefundRow, input: RefundPaymentInput): PaymentRefund {
  if (row.payment_id !== input.paymentId || (input.amount !== undefined && row.amount !== input.amount)) {
    throw nonRetryable('IdempotencyConflict', `refund key ${input.key} was used for another refund`, { key: input.key });
  }
  return refundResult(row);
}

function refundResult(row: RefundRow): PaymentRefund {
  return { refundId: row.id, paymentId: row.payment_id, providerRefundId: row.provider_refund_id, amount: row.amount };
}
