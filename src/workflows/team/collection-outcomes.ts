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

/** Retries stopped by the schedule-to-close timeout: the server ran out of time, not the card of money. */
export function outOfKeyWindow(error: unknown): boolean {
  return error instanceof ActivityFailure && (error.retryState === 'TIMEOUT' || error.cause instanceof TimeoutFailure);
}

/** Failures of a collection that no retry of the same charge fixes, and that leave the invoice unpaid. */
const REFUSALS = new Set(['PaymentRequestRejected', 'PaymentProviderNotConfigured']);

/** The provider or the ledger refused the collection for good: `ActivityFailure` caused by one of REFUSALS. */
export function refusalOf(error: unknown): { type: string; message: string } | null {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return null;
  const type = error.cause.type ?? '';
  return REFUSALS.has(type) ? { type, message: error.cause.message } : null;
}

/** A card decline: `ActivityFailure` caused by the activity's non-retryable `PaymentDeclined`. */
export function declineOf(error: unknown): { code: string | null } | null {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure) || error.cause.type !== 'PaymentDeclined') return null;
  const [details] = error.cause.details ?? [];
  const code = (details as { code?: unknown } | undefined)?.code;
  return { code: typeof code === 'string' ? code : null };
}
