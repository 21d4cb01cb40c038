// How activities fail. Temporal retries any error by default; these are the ones a retry cannot fix, so they
// are non-retryable ApplicationFailures whose `type` the workflow can branch on.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { isCents, type Cents } from '../domain/money';
import { LedgerRefusal } from '../ledger/errors';
import {
  PaymentDeclined,
  PaymentProviderRateLimited,
  PaymentProviderUnavailable,
  PaymentRequestRejected,
  type PaymentProvider,
  type PaymentProviders,
} from '../payments/payment-provider';

export type FailureType =
  | 'InvalidInput'
  | 'UnknownTeam'
  | 'UnknownInvoice'
  | 'UnknownPayment'
  | 'InvoiceClosed'
  | 'IdempotencyConflict'
  | 'LedgerConflict'
  | 'PaymentDeclined'
  | 'PaymentRequestRejected'
  | 'PaymentProviderUnavailable'
  | 'PaymentProviderRateLimited'
  | 'PaymentProviderNotConfigured';

/**
 * Business outcomes the workflow handles (a decline: dunning), not faults: BENIGN makes the worker log them at DEBUG
 * and keeps them out of its failure metrics, so a billing day's 2% of declines is not a wall of stacks at WARN.
 */
const BENIGN_FAILURES: ReadonlySet<FailureType> = new Set(['PaymentDeclined']);

export function nonRetryable(type: FailureType, message: string, details?: Record<string, unknown>): ApplicationFailure {
  const category = BENIGN_FAILURES.has(type) ? ApplicationFailureCategory.BENIGN : undefined;
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : [], category });
}

/** A ledger refusal as the failure workflows branch on; any other error is left for Temporal to retry. */
export function asActivityFailure(error: unknown): unknown {
  return error instanceof LedgerRefusal ? nonRetryable(error.type, error.message, error.details) : error;
}

/** Every activity of `activities`, with the ledger's refusals thrown as non-retryable failures of their type. */
export function withLedgerRefusalsAsFailures<Activities extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: Activities): Activities {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    (...args: never[]) => activity(...args).catch((error: unknown) => { throw asActivityFailure(error); }),
  ]);
  return Object.fromEntries(wrapped) as Activities;
}

/** Amounts come from the domain as integer cents; anything else is a bug in the caller, not worth a retry. */
export function requireCents(value: unknown, what: string, sign: 'positive' | 'non-negative' | 'any' = 'any'): Cents {
  const ok = isCents(value) && (sign === 'any' || (sign === 'positive' ? value > 0 : value >= 0));
  if (!ok) throw nonRetryable('InvalidInput', `${what} must be ${sign === 'any' ? '' : `${sign} `}integer cents, got ${String(value)}`);
  return value as Cents;
}

export function providerFor(payments: PaymentProvider | PaymentProviders, name: string): PaymentProvider {
  const provider = 'charge' in payments ? (payments.name === name ? payments : undefined) : payments[name as keyof PaymentProviders];
  if (!provider) throw nonRetryable('PaymentProviderNotConfigured', `no payment provider "${name}" is configured`);
  return provider;
}

/**
 * A provider's error as the activity's failure. A decline is final for this attempt (dunning makes the next
 * one, under a new key); an unavailable provider is retried by Temporal under the same key.
 */
export function paymentFailure(error: unknown, context: Record<string, unknown>): Error {
  if (error instanceof PaymentDeclined) {
    return nonRetryable('PaymentDeclined', error.message, { code: error.code, ...context });
  }
  if (error instanceof PaymentRequestRejected) {
    return nonRetryable('PaymentRequestRejected', error.message, { code: error.code, ...context });
  }
  if (error instanceof PaymentProviderRateLimited) {
    // "Not now", never "no": retried under the same key, after the provider's Retry-After when it gives one.
    const nextRetryDelay = `${Math.round(rateLimitBackoffSeconds(error.retryAfterSeconds, temporalAttempt()) * 1000)} ms`;
    return ApplicationFailure.create({ type: 'PaymentProviderRateLimited', message: error.message, nonRetryable: false, details: [context], nextRetryDelay });
  }
  if (error instanceof PaymentProviderUnavailable) {
    return ApplicationFailure.create({ type: 'PaymentProviderUnavailable', message: error.message, nonRetryable: false, details: [context] });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Seconds before a rate-limited request is sent again: the provider's Retry-After, else an exponential backoff with
 * "equal jitter" (window w = min(2^(attempt-1), 60) s, delay in [w/2, w)), so that the requests refused in one second
 * are not all sent again in the same later second, and a sustained overload is asked less and less often.
 */
export function rateLimitBackoffSeconds(retryAfterSeconds: number | undefined, attempt: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.max(retryAfterSeconds, 0.1);
  const window = Math.min(2 ** (Math.max(attempt, 1) - 1), 60);
  return window / 2 + (random() * window) / 2;
}

/** Temporal's attempt number of the running activity (1 outside one, e.g. an activity called directly by a test). */
function temporalAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw nonRetryable('InvalidInput', `${what} must be a non-empty string`);
  return value;
}
