// Invoice first at Stripe (section 7, issue 6): an open invoice of ours becomes a Stripe invoice collected by
// `send_invoice` (emailed, paid on Stripe's hosted page), and is voided there when ours is. Our invoice stays the
// record; Stripe's id is kept on it. Requests carry keys made from our invoice's business key (stripe-invoices.ts).
import { formatRate } from '../domain/tax';
import type { Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import { atDueDateVoid, daysUntilDue, providerInvoiceLines } from '../domain/provider-invoices';
import { PaymentRequestRejected } from '../payments/payment-provider';
import type { StripeInvoices } from '../payments/stripe-invoices';
import type { BillingDependencies } from './dependencies';
import type { DbOrTrx, InvoiceRow } from '../ledger/rows';
import { nonRetryable, paymentFailure } from './failures';
import { invoiceClosed } from './invoices';

export interface SendProviderInvoiceInput {
  invoiceId: string;
  /** The team's Stripe customer (from its payment method): Stripe emails the invoice to it. */
  customerId: string;
  at: Instant;
}

export interface ProviderInvoiceSent {
  providerInvoiceId: string;
  hostedInvoiceUrl: string | null;
}

export interface VoidProviderInvoiceInput {
  invoiceId: string;
}

/** What closing the provider's invoice found: voided (or nothing to void), or paid there, by `reference`. */
export type ProviderInvoiceClosed = { outcome: 'voided' | 'none' } | { outcome: 'paid'; reference: string; amount: Cents };

export function providerInvoiceActivities({ db, stripeInvoices }: BillingDependencies) {
  const stripe = (): StripeInvoices => {
    if (!stripeInvoices) throw nonRetryable('PaymentProviderNotConfigured', 'Stripe invoices are not configured (STRIPE_SECRET_KEY)');
    return stripeInvoices;
  };

  return {
    /**
     * Creates, finalizes and sends the Stripe invoice for our open invoice, once: a retry after it was stored returns
     * it, a retry before that reuses the same Stripe idempotency keys. Its total is what ours charges.
     */
    async sendProviderInvoice(input: SendProviderInvoiceInput): Promise<ProviderInvoiceSent> {
      const invoice = await readInvoice(db, input.invoiceId);
      if (invoice.provider_invoice_id) return sentOf(invoice);
      if (invoice.status !== 'open') throw invoiceClosed(invoice, 'nothing to send');
      if (!invoice.due_on) throw nonRetryable('InvalidInput', `invoice ${invoice.id} has no due day to send it with`);
      if (invoice.charged <= 0) throw nonRetryable('InvalidInput', `invoice ${invoice.id} leaves nothing to pay`);
      const lines = (await db('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position')) as { description: string; amount: Cents }[];
      const context = { invoiceId: invoice.id, idempotencyKey: invoice.idempotency_key };
      const sent = await stripe()
        .sendInvoice({
          idempotencyKey: invoice.idempotency_key,
          customerId: input.customerId,
          daysUntilDue: daysUntilDue(invoice.issued_on, invoice.due_on),
          lines: providerInvoiceLines({
            lines, balanceApplied: invoice.balance_applied, creditsApplied: invoice.credits_applied,
            tax: { description: `VAT ${formatRate(invoice.tax_rate_bp)} (${invoice.tax_country ?? ''})`, amount: invoice.tax },
          }),
          // How the `invoice.paid` webhook finds the team; the number is the one on our invoice.
          metadata: { team_id: invoice.team_id, invoice_id: invoice.id, invoice_number: invoice.number },
        })
        .catch((error: unknown) => {
          throw paymentFailure(error, context);
        });
      const [row] = (await db('invoices')
        .where({ id: invoice.id })
        .whereNull('provider_invoice_id')
        .update({ provider_invoice_id: sent.providerInvoiceId, provider_invoice_url: sent.hostedInvoiceUrl, updated_at: db.fn.now() })
        .returning('*')) as InvoiceRow[];
      return sentOf(row ?? (await readInvoice(db, invoice.id)));
    },

    /** Our invoice is void at its due date: Stripe's goes too, unless it was paid there (atDueDateVoid says why). */
    async voidProviderInvoice({ invoiceId }: VoidProviderInvoiceInput): Promise<ProviderInvoiceClosed> {
      const invoice = await readInvoice(db, invoiceId);
      const providerInvoiceId = invoice.provider_invoice_id;
      if (!providerInvoiceId) return { outcome: 'none' };
      const context = { invoiceId, providerInvoiceId };
      const closed = async (): Promise<ProviderInvoiceClosed | null> => {
        const { status, amountPaid } = await stripe().invoiceStatus(providerInvoiceId);
        const action = atDueDateVoid(status);
        if (action === 'void') return null;
        return action === 'record_payment' ? { outcome: 'paid', reference: providerInvoiceId, amount: amountPaid } : { outcome: 'voided' };
      };
      try {
        const found = await closed();
        if (found) return found;
        await stripe().voidInvoice(providerInvoiceId, invoice.idempotency_key);
        return { outcome: 'voided' };
      } catch (error) {
        // Paid between our look and our void: Stripe refuses the void, and the payment wins.
        const paidMeanwhile = error instanceof PaymentRequestRejected ? await closed().catch(() => null) : null;
        if (paidMeanwhile) return paidMeanwhile;
        throw paymentFailure(error, context);
      }
    },
  };
}

async function readInvoice(db: DbOrTrx, invoiceId: string): Promise<InvoiceRow> {
  const invoice = (await db('invoices').where({ id: invoiceId }).first()) as InvoiceRow | undefined;
  if (!invoice) throw nonRetryable('UnknownInvoice', `no invoice ${invoiceId}`, { invoiceId });
  return invoice;
}

function sentOf(invoice: InvoiceRow): ProviderInvoiceSent {
  return { providerInvoiceId: invoice.provider_invoice_id!, hostedInvoiceUrl: invoice.provider_invoice_url ?? null };
}
