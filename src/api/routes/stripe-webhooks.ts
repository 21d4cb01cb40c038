// Stripe webhooks: the signature is checked on the raw body, each event is handled once (its id is kept), and a
// payment Stripe reports as made becomes the team's `paymentConfirmed` signal, one it reports as failed its
// `paymentFailed` signal. A paid `send_invoice` invoice of an invoice-first seat order is recorded as its payment
// (the `recordInvoicePayment` update), which starts the order. Mounted before the JSON parser.
import express, { Router } from 'express';
import Stripe from 'stripe';
import { paymentConfirmedSignal, paymentFailedSignal, recordInvoicePaymentUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { problem, ProblemError } from '../problem';
import type { TeamWorkflows } from '../team-workflows';

export const STRIPE_WEBHOOK_PATH = '/v1/webhooks/stripe';
const HANDLED = new Set(['invoice.paid', 'payment_intent.succeeded', 'payment_intent.payment_failed']);

type Outcome = 'signaled' | 'recorded' | 'ignored';

export function stripeWebhookRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  // Verification needs no API key; a client is made only for its webhook helpers when none is configured.
  const stripe = ctx.stripe ?? new Stripe('sk_webhook_verification_only');
  const secret = ctx.config.STRIPE_WEBHOOK_SECRET;

  router.post(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '512kb' }), async (req, res, next) => {
    try {
      if (!secret) throw problem(404, 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)');
      const signature = req.get('stripe-signature');
      if (!signature) throw problem(400, 'the Stripe-Signature header is missing', { field: 'header.stripe-signature' });
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), signature, secret);
      } catch (error) {
        throw problem(400, `the signature does not match the body: ${(error as Error).message}`, { field: 'header.stripe-signature' });
      }
      if (await ctx.db('stripe_events').where({ id: event.id }).first('id')) {
        res.json({ received: true, duplicate: true });
        return;
      }
      const { teamId, outcome } = await handle(event);
      await ctx.db('stripe_events').insert({ id: event.id, type: event.type, team_id: teamId, outcome }).onConflict('id').ignore();
      res.json({ received: true, outcome });
    } catch (error) {
      next(error);
    }
  });

  async function handle(event: Stripe.Event): Promise<{ teamId: string | null; outcome: Outcome }> {
    if (!HANDLED.has(event.type)) return { teamId: null, outcome: 'ignored' };
    const object = event.data.object as StripeObject;
    const metadata = object.metadata ?? {};
    const teamId = metadata.team_id ?? null;
    const invoiceId = metadata.invoice_id;
    if (!teamId) return { teamId, outcome: 'ignored' };
    try {
      if (event.type === 'payment_intent.payment_failed') {
        // Informational: the workflow made the charge and learned of the decline from it; it only records this.
        await workflows.signal(teamId, paymentFailedSignal, { paymentId: object.id ?? event.id, ...(invoiceId ? { invoiceId } : {}) });
        return { teamId, outcome: 'signaled' };
      }
      if (!invoiceId) return { teamId, outcome: 'recorded' };
      if (event.type === 'invoice.paid' && (await recordedAsSeatOrderPayment(teamId, invoiceId, object.id))) return { teamId, outcome: 'recorded' };
      await workflows.signal(teamId, paymentConfirmedSignal, { invoiceId, ...(event.type === 'payment_intent.succeeded' ? { payment: paymentOf(object) } : {}) });
      return { teamId, outcome: 'signaled' };
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) return { teamId, outcome: 'ignored' }; // no such team
      throw error;
    }
  }

  /**
   * Our invoice-first seat order, paid on Stripe's hosted page: the Stripe invoice's id is the payment's reference, so
   * a replayed or repeated event records one payment (and the void at the due date, finding it paid, the same one).
   * Refused as no open seat order invoice (paid already, or not a seat order's): false, and the signal goes out as before.
   */
  async function recordedAsSeatOrderPayment(teamId: string, invoiceId: string, stripeInvoiceId: string | undefined): Promise<boolean> {
    if (!stripeInvoiceId) return false;
    try {
      // The hosted page takes a card or a bank debit; either way it is a payment through Stripe, recorded as one.
      await workflows.update(teamId, recordInvoicePaymentUpdate, { invoiceId, method: 'card', reference: stripeInvoiceId });
      return true;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 409 && error.problem.code === 'no_open_invoice') return false;
      throw error;
    }
  }

  return router;
}

/** What a webhook's object carries that we read: a PaymentIntent's id and the cents it took, and our metadata. */
interface StripeObject {
  id?: string;
  amount?: number;
  amount_received?: number;
  metadata?: Record<string, string> | null;
}

/** A succeeded PaymentIntent as the payment the workflow records: Stripe's id, the cents received. */
function paymentOf(intent: StripeObject): { provider: 'stripe'; providerPaymentId: string; amount: number } | undefined {
  const amount = intent.amount_received ?? intent.amount;
  return intent.id && amount !== undefined ? { provider: 'stripe', providerPaymentId: intent.id, amount } : undefined;
}
