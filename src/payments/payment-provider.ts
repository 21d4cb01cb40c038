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

export interface CustomerRequest {
  idempotencyKey: string;
  teamId: string;
  name?: string;
  email?: string;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Succeeds with the charge, or throws PaymentDeclined, PaymentProviderUnavailable or PaymentRequestRejected. */
  charge(request: ChargeRequest): Promise<Charge>;
  refund(request: RefundRequest): Promise<Refund>;
  createCustomer(request: CustomerRequest): Promise<{ customerId: string }>;
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
  override readonly name = 'PaymentProviderUnavailable';
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
