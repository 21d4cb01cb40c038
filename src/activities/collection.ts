import type { Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import type { PaymentProviderName } from '../payments/payment-provider';
import { metrics } from '../observability/metrics';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, paymentFailure, providerFor, requireCents, requireText } from './failures';
import { invoiceClosed } from './invoices';
import type { PaymentRow } from './ledger-rows';
import { freezePlan, settledInvoice, settleInvoice, type ReceivedPayment, type SettledInvoice } from './settlement';

export interface PaymentMethodRef {
  provider: PaymentProviderName;
  paymentMethodId: string;
  customerId?: string;
}

export interface CollectInvoiceInput {
  invoiceId: string;
  /** 1 for the first try, then one more per dunning retry; each attempt is its own charge. */
  attempt: number;
  paymentMethod: PaymentMethodRef;
  at: Instant;
}

export interface MarkInvoicePaidExternallyInput {
  invoiceId: string;
  /** The transfer's or the card payment's reference: the same one twice is one payment. */
  providerPaymentId: string;
  amount: Cents;
  method: 'bank_transfer' | 'card';
  /** The provider that holds a card payment, so it can be refunded; `external` (the default) cannot be. */
  provider?: PaymentProviderName | 'external';
  at: Instant;
}

export function collectionActivities({ db, payments }: BillingDependencies) {
  return {
    /**
     * Pays an open invoice as planned: balance, credits, then the payment method for the rest, charged under
     * `<invoice key>:attempt:<n>`. A decline fails with the non-retryable `PaymentDeclined` (details: code) and
     * leaves the invoice open with nothing applied; a paid invoice returns its payment without charging again.
     */
    async collectInvoice(input: CollectInvoiceInput): Promise<SettledInvoice> {
      if (!Number.isSafeInteger(input.attempt) || input.attempt < 1) throw nonRetryable('InvalidInput', `attempt must be 1 or more, got ${input.attempt}`);
      const { invoice, chargeKey } = await freezePlan(db, input.invoiceId, `attempt:${input.attempt}`, input.at);
      if (invoice.status === 'paid') return settledInvoice(db, invoice);
      if (invoice.status !== 'open') throw invoiceClosed(invoice, 'nothing to collect');
      let payment: ReceivedPayment | null = null;
      if (invoice.charged > 0) {
        const provider = providerFor(payments, input.paymentMethod.provider);
        const context = { invoiceId: invoice.id, attempt: input.attempt, amount: invoice.charged, idempotencyKey: chargeKey };
        const charge = await provider
          .charge({
            idempotencyKey: chargeKey,
            amount: invoice.charged,
            paymentMethodId: input.paymentMethod.paymentMethodId,
            ...(input.paymentMethod.customerId ? { customerId: input.paymentMethod.customerId } : {}),
            description: `Invoice ${invoice.number} (${invoice.reason})`, // the number the customer's invoice and statement show
            metadata: { invoice_id: invoice.id, invoice_number: invoice.number, team_id: invoice.team_id },
          })
          .catch((error: unknown) => {
            countCharge(provider.name, 'failed', invoice.charged);
            throw paymentFailure(error, context);
          });
        countCharge(provider.name, 'succeeded', charge.amount);
        if (charge.amount !== invoice.charged) {
          throw nonRetryable('LedgerConflict', `provider charged ${charge.amount} for ${invoice.charged} on ${invoice.id}`, { ...context, ...charge });
        }
        payment = { provider: provider.name, providerPaymentId: charge.providerPaymentId, method: 'card', amount: charge.amount };
      }
      return settleInvoice(db, invoice.id, chargeKey, payment, input.at);
    },

    /**
     * An invoice-first order paid by bank transfer or card outside a collection (API or webhook). The amount must
     * be what the plan leaves to pay after the balance and credits.
     */
    async markInvoicePaidExternally(input: MarkInvoicePaidExternallyInput): Promise<SettledInvoice> {
      requireText(input.providerPaymentId, 'providerPaymentId');
      requireCents(input.amount, 'amount', 'positive');
      const provider = input.provider ?? 'external';
      const recorded = (await db('payments').where({ provider, provider_payment_id: input.providerPaymentId }).first()) as PaymentRow | undefined;
      if (recorded && recorded.invoice_id !== input.invoiceId) {
        throw nonRetryable('IdempotencyConflict', `payment ${input.providerPaymentId} already paid invoice ${recorded.invoice_id}`);
      }
      const { invoice, chargeKey } = await freezePlan(db, input.invoiceId, `external:${input.providerPaymentId}`, input.at);
      const payment: ReceivedPayment = { provider, providerPaymentId: input.providerPaymentId, method: input.method, amount: input.amount };
      if (invoice.status === 'open' && invoice.charged !== input.amount) {
        throw nonRetryable('InvalidInput', `invoice ${invoice.id} leaves ${invoice.charged} to pay, not ${input.amount}`, {
          invoiceId: invoice.id, due: invoice.charged, amount: input.amount,
        });
      }
      return settleInvoice(db, invoice.id, chargeKey, payment, input.at);
    },
  };
}

/** Every attempt at the provider, retries included: a retried charge under the same key is counted again. */
function countCharge(provider: string, outcome: 'succeeded' | 'failed', amount: Cents): void {
  metrics().charges.inc({ provider, outcome });
  metrics().chargedCents.inc({ provider, outcome }, amount);
}
