import { ApplicationFailure } from '@temporalio/common';
import Stripe from 'stripe';
import { paymentFailure, rateLimitBackoffSeconds } from '../../src/activities/failures';
import { loadConfig } from '../../src/config';
import { PaymentProviderRateLimited, PaymentProviderUnavailable } from '../../src/payments/payment-provider';
import { providerError } from '../../src/payments/stripe-provider';

// The provider's rate limits as configuration (PAYMENT_PROVIDER_MAX_RPS, SANDBOX_PROVIDER_MAX_RPS), and a 429 as a
// retryable failure with its backoff, never a decline.

describe('PAYMENT_PROVIDER_MAX_RPS and SANDBOX_PROVIDER_MAX_RPS', () => {
  test('unset: no limit', () => {
    const config = loadConfig({});
    expect([config.PAYMENT_PROVIDER_MAX_RPS, config.SANDBOX_PROVIDER_MAX_RPS]).toEqual([undefined, undefined]);
  });

  test('read as numbers: a fractional dispatch rate is allowed, the sandbox cap counts whole charges', () => {
    const config = loadConfig({ PAYMENT_PROVIDER_MAX_RPS: '12.5', SANDBOX_PROVIDER_MAX_RPS: '25' });
    expect([config.PAYMENT_PROVIDER_MAX_RPS, config.SANDBOX_PROVIDER_MAX_RPS]).toEqual([12.5, 25]);
  });

  test.each([
    ['PAYMENT_PROVIDER_MAX_RPS', 'fast', 'PAYMENT_PROVIDER_MAX_RPS: must be a number of requests a second, e.g. 25'],
    ['PAYMENT_PROVIDER_MAX_RPS', '0', 'PAYMENT_PROVIDER_MAX_RPS: must be more than 0 (unset it for no limit)'],
    ['PAYMENT_PROVIDER_MAX_RPS', '-5', 'PAYMENT_PROVIDER_MAX_RPS: must be more than 0 (unset it for no limit)'],
    ['PAYMENT_PROVIDER_MAX_RPS', '', 'PAYMENT_PROVIDER_MAX_RPS: must be more than 0 (unset it for no limit)'],
    ['SANDBOX_PROVIDER_MAX_RPS', '2.5', 'SANDBOX_PROVIDER_MAX_RPS: must be a whole number of charges a second'],
    ['SANDBOX_PROVIDER_MAX_RPS', 'many', 'SANDBOX_PROVIDER_MAX_RPS: must be a number of requests a second, e.g. 25'],
  ])('%s=%j stops start-up naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`invalid configuration: ${message}`);
  });
});

describe("Stripe's 429", () => {
  const raw = { message: 'Request rate limit exceeded.', type: 'invalid_request_error', code: 'rate_limit', statusCode: 429 } as const;

  test('StripeRateLimitError is a rate limit: retryable (a PaymentProviderUnavailable), not a rejected request', () => {
    const error = providerError(new Stripe.errors.StripeRateLimitError(raw));
    expect(error).toBeInstanceOf(PaymentProviderRateLimited);
    expect(error).toBeInstanceOf(PaymentProviderUnavailable);
    expect((error as PaymentProviderRateLimited).retryAfterSeconds).toBeUndefined();
  });

  test('any Stripe error with status 429 is one too, and carries its Retry-After', () => {
    const error = providerError(new Stripe.errors.StripeInvalidRequestError({ ...raw, headers: { 'retry-after': '3' } }));
    expect(error).toBeInstanceOf(PaymentProviderRateLimited);
    expect((error as PaymentProviderRateLimited).retryAfterSeconds).toBe(3);
  });

  test('a 400 stays a rejected request', () => {
    expect(providerError(new Stripe.errors.StripeInvalidRequestError({ ...raw, code: 'parameter_invalid', statusCode: 400 }))).not.toBeInstanceOf(PaymentProviderUnavailable);
  });
});

describe('the activity failure of a 429', () => {
  test('retryable, of its own type, after the Retry-After the provider gave', () => {
    const failure = paymentFailure(new PaymentProviderRateLimited('429', 3), { invoiceId: 'inv_1' }) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PaymentProviderRateLimited', nonRetryable: false, nextRetryDelay: '3000 ms' });
  });

  test('without Retry-After: exponential backoff with equal jitter, window 2^(attempt-1) s up to 60 s, delay in [w/2, w)', () => {
    expect([1, 2, 3, 4].map((attempt) => rateLimitBackoffSeconds(undefined, attempt, () => 0))).toEqual([0.5, 1, 2, 4]);
    expect([1, 2, 3, 4].map((attempt) => rateLimitBackoffSeconds(undefined, attempt, () => 0.999))).toEqual([1, 2, 4, 8].map((w) => w / 2 + (0.999 * w) / 2));
    expect(rateLimitBackoffSeconds(undefined, 30, () => 0)).toBe(30);
    expect(rateLimitBackoffSeconds(2, 9, () => 0.5)).toBe(2);
  });
});
