// Stripe as the payment provider: off-session PaymentIntents confirmed at creation, refunds through the
// Refunds API. Our business key is Stripe's idempotency key, so a retried request returns the first answer.
import Stripe from 'stripe';
import {
  PaymentDeclined,
  PaymentProviderUnavailable,
  PaymentRequestRejected,
  type Charge,
  type ChargeRequest,
  type PaymentProvider,
} from './payment-provider';

export function createStripeProvider({ stripe }: { stripe: Stripe }): PaymentProvider & { readonly name: 'stripe' } {
  return {
    name: 'stripe',

    async charge(request) {
      const intent = await callStripe(() =>
        stripe.paymentIntents.create(
          {
            amount: request.amount,
            currency: 'usd',
            payment_method: request.paymentMethodId,
            ...(request.customerId ? { customer: request.customerId } : {}),
            confirm: true,
            off_session: true,
            ...(request.description ? { description: request.description } : {}),
            ...(request.metadata ? { metadata: request.metadata } : {}),
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return chargeOutcome(intent, request);
    },

    async refund(request) {
      const refund = await callStripe(() =>
        stripe.refunds.create(
          { payment_intent: request.providerPaymentId, ...(request.amount !== undefined ? { amount: request.amount } : {}) },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return { providerRefundId: refund.id, amount: refund.amount };
    },

    async createCustomer(request) {
      const customer = await callStripe(() =>
        stripe.customers.create(
          {
            ...(request.name ? { name: request.name } : {}),
            ...(request.email ? { email: request.email } : {}),
            metadata: { team_id: request.teamId },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return { customerId: customer.id };
    },
  };
}

/**
 * What a confirmed off-session PaymentIntent means for us. Only `succeeded` is money received; a real decline
 * usually arrives as a card error instead, but an intent left needing a payment method or an action is one too.
 */
export function chargeOutcome(intent: Pick<Stripe.PaymentIntent, 'id' | 'status' | 'amount' | 'last_payment_error'>, request: Pick<ChargeRequest, 'amount'>): Charge {
  switch (intent.status) {
    case 'succeeded':
      return { providerPaymentId: intent.id, amount: intent.amount };
    case 'requires_action':
      throw new PaymentDeclined('authentication_required', `payment ${intent.id} needs the customer to authenticate`);
    case 'processing':
      // Settles later; the same idempotency key returns this intent again, so the caller retries after a while.
      throw new PaymentProviderUnavailable(`payment ${intent.id} of ${request.amount} is still processing`);
    default: {
      const error = intent.last_payment_error;
      throw new PaymentDeclined(error?.decline_code ?? error?.code ?? 'card_declined', `payment ${intent.id} was not completed (${intent.status})`);
    }
  }
}

/** One Stripe request, its errors sorted into ours (providerError). */
export async function callStripe<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw providerError(error);
  }
}

/** Sorts Stripe's errors into ours: a decline, a failure worth retrying, or a request that will never pass. */
export function providerError(error: unknown): Error {
  if (!(error instanceof Stripe.errors.StripeError)) return error instanceof Error ? error : new Error(String(error));
  if (error instanceof Stripe.errors.StripeCardError) return new PaymentDeclined(error.decline_code ?? error.code ?? 'card_declined', error.message);
  const status = error.statusCode ?? 0;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    status >= 500 ||
    status === 409 // another request with the same key is in flight
  ) {
    return new PaymentProviderUnavailable(`Stripe is unavailable: ${error.message}`);
  }
  return new PaymentRequestRejected(error.code ?? error.type, error.message);
}
