import type { Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import { PaymentProviderRateLimited, type Charge, type PaymentProviderName } from '../payments/payment-provider';
import { metrics } from '../observability/metrics';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, paymentFailure, providerFor, requireCents, requireText } from './failures';
import { invoiceClosed, lockInvoice } from './invoices';
import type { InvoiceRow, PaymentRow } from '../ledger/rows';
import { freezePlan, settledInvoice, settleInvoice, type ReceivedPayment, type SettledInvoice } from './settlement';
import { relayAfterWrite } from './relay';

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
      const { invoice, chargeKey } = await freezePlan(db, input.invoiceId, `attempt:${input.attempt}`, input.at, input.attempt);
      if (invoice.status === 'paid') {
        await relayAfterWrite(db, { foundWritten: true, queued: 0 }); // paid by an earlier attempt
        return settledInvoice(db, invoice);
      }
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
            ...customerOf(input.paymentMethod),
            description: `Invoice ${invoice.number} (${invoice.reason})`, // the number the customer's invoice and statement show
            metadata: { invoice_id: invoice.id, invoice_number: invoice.number, team_id: invoice.team_id },
          })
          .catch((error: unknown) => {
            countCharge(provider.name, error instanceof PaymentProviderRateLimited ? 'rate_limited' : 'failed', invoice.charged);
            throw paymentFailure(error, context);
          });
        countCharge(provider.name, 'succeeded', charge.amount);
        payment = cardPayment(provider.name, charge, invoice, context);
      }
      return settleInvoice(db, invoice.id, chargeKey, payment, input.at);
    },

    /**
     * The answer to a collection whose retries ran out of the idempotency key's window unsure (a charge left
     * `processing`, a provider down): the provider is asked what became of the charge under
     * `<invoice key>:attempt:<n>`, and nothing is charged. Succeeded: recorded as the invoice's payment, as
     * collectInvoice would have. Still processing: the retryable PaymentProviderUnavailable, asked again later.
     * Not found or failed: the non-retryable PaymentDeclined, a failed attempt (dunning tries under a new key).
     */
    async reconcileCharge(input: CollectInvoiceInput): Promise<SettledInvoice> {
      const invoice = await lockInvoice(db, input.invoiceId); // one read: settleInvoice locks and checks again
      const chargeKey = `${invoice.idempotency_key}:attempt:${input.attempt}`;
      if (invoice.status === 'paid') return settledInvoice(db, invoice);
      if (invoice.status !== 'open') throw invoiceClosed(invoice, 'nothing to reconcile');
      const provider = providerFor(payments, input.paymentMethod.provider);
      const context = { invoiceId: invoice.id, attempt: input.attempt, amount: invoice.charged, idempotencyKey: chargeKey };
      // The plan was frozen under this key before anything was charged under it; another key froze nothing here.
      if (invoice.charge_key !== chargeKey) throw nonRetryable('PaymentDeclined', `nothing was charged under ${chargeKey}`, { code: 'charge_not_found', ...context });
      if (invoice.charged === 0) return settleInvoice(db, invoice.id, chargeKey, null, input.at);
      const charge = await provider
        .findCharge({ idempotencyKey: chargeKey, amount: invoice.charged, paymentMethodId: input.paymentMethod.paymentMethodId, ...customerOf(input.paymentMethod) })
        .catch((error: unknown) => {
          throw paymentFailure(error, context);
        });
      if (!charge) throw nonRetryable('PaymentDeclined', `${provider.name} has no charge under ${chargeKey}`, { code: 'charge_not_found', ...context });
      return settleInvoice(db, invoice.id, chargeKey, cardPayment(provider.name, charge, invoice, context), input.at);
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

function customerOf(method: PaymentMethodRef): { customerId?: string } {
  return method.customerId ? { customerId: method.customerId } : {};
}

/** The provider's charge as the invoice's card payment; it must be for what the plan left to the card. */
function cardPayment(provider: PaymentProviderName, charge: Charge, invoice: InvoiceRow, context: Record<string, unknown>): ReceivedPayment {
  if (charge.amount !== invoice.charged) {
    throw nonRetryable('LedgerConflict', `provider charged ${charge.amount} for ${invoice.charged} on ${invoice.id}`, { ...context, ...charge });
  }
  return { provider, providerPaymentId: charge.providerPaymentId, method: 'card', amount: charge.amount };
}

/** Every attempt at the provider, retries included: a retried charge under the same key is counted again. */
function countCharge(provider: string, outcome: 'succeeded' | 'failed' | 'rate_limited', amount: Cents): void {
  metrics().charges.inc({ provider, outcome });
  metrics().chargedCents.inc({ provider, outcome }, amount);
}
