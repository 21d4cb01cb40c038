// How a collection attempt ended, read from the activity's failure: paid, declined by the card's issuer, or refused
// for good (a retry of the same charge cannot help). The team's ledger facade (./ledger.ts) sorts failures with these.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { InvoiceSummary } from '../../activities';
import type { ChargedInvoice } from '../team-subscription-messages';

/**
 * How one collection attempt ended: paid (with how), declined by the card's issuer, or refused for good by the
 * provider or the ledger (a bad payment method, an invoice closed meanwhile): a retry of the same charge cannot help.
 */
export type Collection =
  | { paid: InvoiceSummary; declined?: undefined; refused?: undefined }
  | { paid?: undefined; declined: { code: string | null }; refused?: undefined }
  | { paid?: undefined; declined?: undefined; refused: { type: string; message: string }; failure: unknown };

/** The invoice was written but its collection refused for good: the caller undoes it or dunning takes it. */
export class CollectionRefused extends Error {
  constructor(
    readonly invoice: ChargedInvoice,
    readonly refusal: { type: string; message: string },
    /** The activity's failure, as code written before the refusal was handled saw it. */
    readonly failure: unknown,
  ) {
    super(`collecting invoice ${invoice.invoiceId} was refused: ${refusal.type}: ${refusal.message}`);
  }
}

/**
 * What the collection's activity failed with: an activity's failure wraps it in an ActivityFailure; a local activity's
 * (collect-local) that is not retried comes as it was thrown (Core 1.24), so both shapes are read alike.
 */
function causeOf(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/** Retries stopped by the schedule-to-close timeout: the server ran out of time, not the card of money. */
export function outOfKeyWindow(error: unknown): boolean {
  if (error instanceof ActivityFailure && error.retryState === 'TIMEOUT') return true;
  return causeOf(error) instanceof TimeoutFailure;
}

/** Failures of a collection that no retry of the same charge fixes, and that leave the invoice unpaid. */
const REFUSALS = new Set(['PaymentRequestRejected', 'PaymentProviderNotConfigured']);

/** The provider or the ledger refused the collection for good: the activity failed with one of REFUSALS. */
export function refusalOf(error: unknown): { type: string; message: string } | null {
  const cause = causeOf(error);
  if (!(cause instanceof ApplicationFailure)) return null;
  const type = cause.type ?? '';
  return REFUSALS.has(type) ? { type, message: cause.message } : null;
}

/** A card decline: the activity's non-retryable `PaymentDeclined`. */
export function declineOf(error: unknown): { code: string | null } | null {
  const cause = causeOf(error);
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'PaymentDeclined') return null;
  const [details] = cause.details ?? [];
  const code = (details as { code?: unknown } | undefined)?.code;
  return { code: typeof code === 'string' ? code : null };
}
