// Refunds (section 10): any paid invoice, seat orders included, within 72 hours of its payment (14 days when the
// team's billing country is in the EU or the UK). It goes back the way it was paid; a refund of the current period
// (or order) ends it today.
import { epochMs, refundEligibility, REFUND_WINDOW_HOURS, type Instant } from '../../domain';
import type { RefundRequest, VoidPaidInvoiceRequest } from '../team-subscription-messages';
import { reject } from './checks';
import { orderedSeatsOf, seatOrderOf } from './seat-state';
import type { LastPayment, TeamState } from './state';

const LONGEST_WINDOW_MS = REFUND_WINDOW_HOURS.euUk * 3_600_000;

/** Keeps a paid invoice refundable: the state holds those paid within the longest window (14 days) of `now`. */
export function rememberPayment(state: TeamState, payment: LastPayment): void {
  const cutoff = epochMs(payment.paidAt) - LONGEST_WINDOW_MS;
  state.recentPayments = [...(state.recentPayments ?? []).filter((p) => epochMs(p.paidAt) >= cutoff), payment];
  if (payment.paymentId) state.lastPayment = payment; // what states without the list refunded
}

/** Forgets a refunded payment: a second request for it finds nothing to refund. */
export function forgetPayment(state: TeamState, payment: Pick<LastPayment, 'invoiceKey'>): void {
  state.recentPayments = (state.recentPayments ?? []).filter((p) => p.invoiceKey !== payment.invoiceKey);
  if (state.lastPayment?.invoiceKey === payment.invoiceKey) state.lastPayment = null;
}

/** The payment a refund request names (by payment or invoice; the most recent by default), if refundable at `now`. */
export function checkRefund(state: TeamState, now: Instant, billingCountry: string, request: RefundRequest | undefined): LastPayment {
  const payments = state.recentPayments ?? (state.lastPayment ? [state.lastPayment] : []);
  const wanted = request?.paymentId ?? request?.invoiceId;
  const payment = wanted === undefined ? payments.at(-1) : payments.find((p) => p.paymentId === wanted || p.invoiceId === wanted);
  if (!payment) reject('no_refundable_payment', wanted === undefined ? 'The team has no payment to refund.' : `No refundable payment ${wanted}.`);
  if (state.dunning) reject('past_due', 'A payment is being retried; settle it before asking for a refund.');
  // Eligible while now ≤ paidAt + window (72 h; 14 days in the EU/UK).
  const eligibility = refundEligibility({ paidAt: payment.paidAt, now, billingCountry });
  if (!eligibility.eligible) reject('refund_window_closed', eligibility.reason);
  return payment;
}

/**
 * What refunding `payment` ends: the period, term or seat order it started (`period`: Free from today), an order paid
 * and not started yet (`ordered`: it never starts), or nothing (a member review, seats added, an earlier period:
 * the money goes back, the subscription goes on). Payments carried from before the invoice was known ended the
 * period whatever they paid, as refunds did then.
 */
export function refundEnds(state: TeamState, payment: Pick<LastPayment, 'invoiceId' | 'invoiceKey' | 'periodStart'>): 'period' | 'ordered' | null {
  if (!payment.invoiceId) return state.plan !== 'free' ? 'period' : null;
  if (orderedSeatsOf(state)?.invoice?.key === payment.invoiceKey) return 'ordered';
  const current = seatOrderOf(state)?.period.start ?? state.period?.start;
  return payment.periodStart !== undefined && payment.periodStart === current ? 'period' : null;
}

/** A void names the invoice; whether it is the team's, paid and not fully credited the ledger says (the API asks it first). */
export function checkVoidRequest(request: VoidPaidInvoiceRequest | undefined): void {
  if (typeof request?.invoiceId !== 'string' || request.invoiceId === '') reject('invalid_request', 'The invoice to void must be named (invoiceId).');
}
