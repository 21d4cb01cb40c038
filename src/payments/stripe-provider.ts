// Stripe as the payment provider: off-session PaymentIntents confirmed at creation, refunds through the
// Refunds API. Our business key is Stripe's idempotency key, so a retried request returns the first answer.
import Stripe from 'stripe';
import {
  PaymentDeclined,
  PaymentProviderRateLimited,
  PaymentProviderUnavailable,
  PaymentRequestRejected,
  type Charge,
  type ChargeLookup,
  type ChargeRequest,
  type PaymentProvider,
} from './payment-provider';

/** Our metadata on every PaymentIntent: the idempotency key it was created under, so it can be found again. */
export const CHARGE_KEY_METADATA = 'charge_key';

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
            metadata: { ...request.metadata, [CHARGE_KEY_METADATA]: request.idempotencyKey },
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
            metadata: {
              ...(request.teamId ? { team_id: request.teamId } : {}),
              ...(request.apiCreditAccountId ? { api_credit_account_id: request.apiCreditAccountId } : {}),
            },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return { customerId: customer.id };
    },

    async findCharge(lookup) {
      const intent = (await intentsNamed(stripe, lookup)).find((candidate) => candidate.metadata?.[CHARGE_KEY_METADATA] === lookup.idempotencyKey);
      return intent ? chargeOutcome(intent, lookup) : null;
    },

    async paymentMethodHolder(paymentMethodId) {
      const method = await callStripe(() => stripe.paymentMethods.retrieve(paymentMethodId));
      const customer = typeof method.customer === 'string' ? method.customer : (method.customer?.id ?? null);
      return customer ? { kind: 'customer', customerId: customer } : { kind: 'unattached' };
    },
  };
}

/**
 * The PaymentIntents that may carry the key: the customer's latest 100 (a list reads its own writes; a team makes
 * a handful of charges a day), or, with no customer, a search by our metadata (searches can lag a minute or so).
 */
async function intentsNamed(stripe: Stripe, lookup: ChargeLookup): Promise<Stripe.PaymentIntent[]> {
  if (lookup.customerId) {
    const customer = lookup.customerId;
    return (await callStripe(() => stripe.paymentIntents.list({ customer, limit: 100 }))).data;
  }
  const key = lookup.idempotencyKey.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return (await callStripe(() => stripe.paymentIntents.search({ query: `metadata['${CHARGE_KEY_METADATA}']:'${key}'`, limit: 10 }))).data;
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
  if (error instanceof Stripe.errors.StripeRateLimitError || status === 429) {
    return new PaymentProviderRateLimited(`Stripe's rate limit: ${error.message}`, retryAfterSeconds(error.headers?.['retry-after']));
  }
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    status >= 500 ||
    status === 409 // another request with the same key is in flight
  ) {
    return new PaymentProviderUnavailable(`Stripe is unavailable: ${error.message}`);
  }
  return new PaymentRequestRejected(error.code ?? error.type, error.message);
}

/** A Retry-After header in seconds (RFC 9110 also allows an HTTP date: read as the seconds from now); absent or unreadable, undefined. */
function retryAfterSeconds(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}
