// Invoice first with Stripe (section 7): a Stripe invoice collected by `send_invoice`, so the customer gets it to
// budget and approve, then pays it by card or bank transfer on Stripe's hosted page. Stripe sets its due date to
// finalization + `daysUntilDue`, as our ledger does (issue + 30 days, payable through that day). Every request
// carries an idempotency key derived from our invoice's business key, so a retried activity sends one invoice.
import type Stripe from 'stripe';
import type { Cents } from '../domain/money';
import { callStripe } from './stripe-provider';

export interface SendInvoiceRequest {
  /** Our invoice's key, e.g. `team-1:seat_order:2026-01-01`. */
  idempotencyKey: string;
  customerId: string;
  lines: { description: string; amount: Cents }[];
  daysUntilDue: number;
  metadata?: Record<string, string>;
}

export interface SentInvoice {
  providerInvoiceId: string;
  status: string | null;
  /** Where the customer sees and pays it. */
  hostedInvoiceUrl: string | null;
}

export function createStripeInvoices({ stripe }: { stripe: Stripe }) {
  return {
    /** Creates the invoice with its lines, finalizes it and emails it to the customer. */
    async sendInvoice(request: SendInvoiceRequest): Promise<SentInvoice> {
      const key = request.idempotencyKey;
      const draft = await callStripe(() =>
        stripe.invoices.create(
          {
            customer: request.customerId,
            collection_method: 'send_invoice',
            days_until_due: request.daysUntilDue,
            currency: 'usd',
            auto_advance: false, // we finalize and send it ourselves, once
            pending_invoice_items_behavior: 'exclude',
            ...(request.metadata ? { metadata: request.metadata } : {}),
          },
          { idempotencyKey: `${key}:invoice` },
        ),
      );
      for (const [index, line] of request.lines.entries()) {
        await callStripe(() =>
          stripe.invoiceItems.create(
            { customer: request.customerId, invoice: draft.id, amount: line.amount, currency: 'usd', description: line.description },
            { idempotencyKey: `${key}:line:${index + 1}` },
          ),
        );
      }
      await callStripe(() => stripe.invoices.finalizeInvoice(draft.id, {}, { idempotencyKey: `${key}:finalize` }));
      const sent = await callStripe(() => stripe.invoices.sendInvoice(draft.id, {}, { idempotencyKey: `${key}:send` }));
      return { providerInvoiceId: sent.id, status: sent.status ?? null, hostedInvoiceUrl: sent.hosted_invoice_url ?? null };
    },

    /** Its status now (`open`, `paid`, `void`…), and what was paid on it, in cents. */
    async invoiceStatus(providerInvoiceId: string): Promise<{ status: string | null; amountPaid: Cents }> {
      const invoice = await callStripe(() => stripe.invoices.retrieve(providerInvoiceId));
      return { status: invoice.status ?? null, amountPaid: invoice.amount_paid };
    },

    /** Unpaid past its due day: voided at Stripe too, so it can no longer be paid there. */
    async voidInvoice(providerInvoiceId: string, idempotencyKey: string): Promise<{ status: string | null }> {
      const voided = await callStripe(() => stripe.invoices.voidInvoice(providerInvoiceId, {}, { idempotencyKey: `${idempotencyKey}:void` }));
      return { status: voided.status ?? null };
    },
  };
}

export type StripeInvoices = ReturnType<typeof createStripeInvoices>;
