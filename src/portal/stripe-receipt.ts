// In Stripe mode the engine charges with PaymentIntents, not Stripe Invoices, so the document Stripe hosts for a
// payment is the charge's receipt. Its address is asked of Stripe when the customer clicks, never stored.
import type { ApiContext } from '../api/context';
import type { InvoiceDetail } from '../documents/types';

export async function stripeReceiptUrl(ctx: ApiContext, invoice: InvoiceDetail): Promise<string | null> {
  const payment = invoice.payments.find((p) => p.provider === 'stripe');
  if (!payment || !ctx.stripe) return null;
  // The API's payment view leaves out the provider's ID; the invoice was read through the API, as the user, first.
  const row = (await ctx.db('payments').where({ id: payment.id }).first('provider_payment_id')) as { provider_payment_id: string } | undefined;
  if (!row) return null;
  const intent = await ctx.stripe.paymentIntents.retrieve(row.provider_payment_id, { expand: ['latest_charge'] });
  const charge = intent.latest_charge;
  return charge && typeof charge === 'object' ? (charge.receipt_url ?? null) : null;
}
