// What the engine asks of a payment provider, whichever it is (the sandbox by default, Stripe in production).
// Every call that moves money carries an idempotency key built by the caller from business facts, so a
// retried call returns what the first one did and never charges or refunds twice.
import type { Cents } from '../domain/money';

export type PaymentProviderName = 'sandbox' | 'stripe';

export interface ChargeRequest {
  idempotencyKey: string;
  /** Positive cents, charged in USD. */
  amount: Cents;
  paymentMethodId: string;
  customerId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

export interface Charge {
  providerPaymentId: string;
  amount: Cents;
}

export interface RefundRequest {
  idempotencyKey: string;
  providerPaymentId: string;
  /** Positive cents; the whole charge (less what was refunded already) when absent. */
  amount?: Cents;
}

export interface Refund {
  providerRefundId: string;
  amount: Cents;
}

/** A charge looked up by the idempotency key it was made under (our `charge_key` metadata on it). */
export interface ChargeLookup {
  idempotencyKey: string;
  /** What the charge was for: a provider match for another amount is a conflict the caller reports. */
  amount: Cents;
  paymentMethodId: string;
  /** The customer charged, when there is one: Stripe lists its payments (read-after-write consistent). */
  customerId?: string;
}

/**
 * Who may charge a payment method: the customer it is attached to, nobody yet (`unattached`: Stripe cannot charge
 * it off-session again), or anyone (`test_token`: the sandbox's shared test cards, which hold no one's money).
 */
export type PaymentMethodHolder = { kind: 'customer'; customerId: string } | { kind: 'unattached' } | { kind: 'test_token' };

export interface CustomerRequest {
  idempotencyKey: string;
  /** Whose customer it is, in its metadata: a team's, or an API-credit account's. */
  teamId?: string;
  apiCreditAccountId?: string;
  name?: string;
  email?: string;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Succeeds with the charge, or throws PaymentDeclined, PaymentProviderUnavailable or PaymentRequestRejected. */
  charge(request: ChargeRequest): Promise<Charge>;
  refund(request: RefundRequest): Promise<Refund>;
  createCustomer(request: CustomerRequest): Promise<{ customerId: string }>;
  /**
   * What became of the charge made under `idempotencyKey`, without charging: the charge if it succeeded, null if the
   * provider has none; throws PaymentDeclined if it failed and PaymentProviderUnavailable while it is still processing.
   */
  findCharge(lookup: ChargeLookup): Promise<Charge | null>;
  /** Throws PaymentRequestRejected when the provider has no such payment method. */
  paymentMethodHolder(paymentMethodId: string): Promise<PaymentMethodHolder>;
}

/** The providers an engine is wired with, by the name a payment method or a payment row carries. */
export type PaymentProviders = Partial<Record<PaymentProviderName, PaymentProvider>>;

/** The card was declined: retrying the same charge will not help. `code` is the most specific reason given. */
export class PaymentDeclined extends Error {
  override readonly name = 'PaymentDeclined';
  constructor(
    readonly code: string,
    message = `the card was declined (${code})`,
  ) {
    super(message);
  }
}

/** A timeout, a 5xx or a rate limit: the same request may succeed later, under the same idempotency key. */
export class PaymentProviderUnavailable extends Error {
  override readonly name: string = 'PaymentProviderUnavailable';
}

/**
 * The provider's rate limit (HTTP 429; Stripe's StripeRateLimitError): nothing was done, and the same request under
 * the same key may be sent again later; never a decline. `retryAfterSeconds`: the provider's Retry-After, if it gave one.
 */
export class PaymentProviderRateLimited extends PaymentProviderUnavailable {
  override readonly name = 'PaymentProviderRateLimited';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The provider refused the request itself (bad parameters, a reused idempotency key, bad credentials). */
export class PaymentRequestRejected extends Error {
  override readonly name = 'PaymentRequestRejected';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
