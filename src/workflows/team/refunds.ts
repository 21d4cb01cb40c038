// Refunds (section 10): the most recent payment by the payment method, within 72 hours of it (14 days when the
// team's billing country is in the EU or the UK). The refund ends the period it paid for, today.
import { refundEligibility, type Instant } from '../../domain';
import type { RefundRequest } from '../team-subscription-messages';
import { reject } from './requests';
import { seatOrderOf, orderedSeatsOf } from './seat-state';
import type { LastPayment, TeamState } from './state';

/** The payment a refund request names (the most recent one by default), if it may be refunded at `now`. */
export function checkRefund(state: TeamState, now: Instant, billingCountry: string, request: RefundRequest | undefined): LastPayment {
  const payment = state.lastPayment;
  if (!payment) reject('no_refundable_payment', 'The team has no payment to refund.');
  if (request?.paymentId !== undefined && request.paymentId !== payment.paymentId) {
    reject('no_refundable_payment', `Only the most recent payment (${payment.paymentId}) can be refunded.`);
  }
  if (state.dunning) reject('past_due', 'A payment is being retried; settle it before asking for a refund.');
  if (seatOrderOf(state) || orderedSeatsOf(state)) reject('no_refundable_payment', 'Seat orders are not refunded by this request.');
  // Eligible while now ≤ paidAt + window (72 h; 14 days in the EU/UK).
  const eligibility = refundEligibility({ paidAt: payment.paidAt, now, billingCountry });
  if (!eligibility.eligible) reject('refund_window_closed', eligibility.reason);
  return payment;
}
