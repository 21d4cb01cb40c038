// The checks behind the update validators. A validator that throws rejects the update before anything is
// written to history; the handler runs the same check again after the day's scheduled events, which may have
// changed the state (e.g. a last dunning retry dropped the team to Free).
import { ApplicationFailure } from '@temporalio/workflow';
import { checkTrialStart, classifyPlanChange, isInterval, isPlan, isSoldPerMember, type Day, type Interval, type Plan } from '../../domain';
import type { PaymentMethodRef, PlanChangeRequest, PlanSelection } from '../team-subscription-messages';
import type { TeamState } from './state';

/** Why a request was refused: the failure `type` the API maps to a status code. */
export type RejectionCode =
  | 'invalid_request'
  | 'payment_method_required'
  | 'trial_already_used'
  | 'not_on_free'
  | 'not_subscribed'
  | 'past_due'
  | 'no_change'
  | 'no_pending_change'
  | 'already_canceled'
  | 'payment_method_in_use'
  // seat orders (section 7)
  | 'not_enough_seats'
  | 'seats_below_members'
  | 'no_seat_order'
  | 'order_pending'
  | 'switch_pending'
  | 'no_open_invoice'
  | 'trialing'
  | 'payment_declined'
  // refunds (section 10)
  | 'no_refundable_payment'
  | 'refund_window_closed';

export function reject(code: RejectionCode, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

function checkPaidPlan(selection: { plan?: Plan; interval?: Interval } | undefined, today: Day): asserts selection is PlanSelection {
  if (!selection || !isPlan(selection.plan) || selection.plan === 'free' || !isInterval(selection.interval)) {
    reject('invalid_request', 'Name a paid plan and an interval (month or year).');
  }
  if (!isSoldPerMember(selection.plan, today)) reject('invalid_request', `${selection.plan} is sold by seat orders, not per member.`);
}

export function checkStartTrial(state: TeamState, today: Day, selection: PlanSelection): void {
  checkPaidPlan(selection, today);
  if (state.status !== 'free') reject('not_on_free', 'Only a team on Free can start a trial.');
  const check = checkTrialStart({ today, hasPaymentMethod: state.paymentMethod !== null, hadTrial: state.hadTrial });
  if (!check.ok) reject(check.error, check.message);
}

export function checkSubscribe(state: TeamState, today: Day, selection: PlanSelection): void {
  checkPaidPlan(selection, today);
  if (state.status !== 'free') reject('not_on_free', 'The team already has a subscription: change its plan instead.');
  if (!state.paymentMethod) reject('payment_method_required', 'Subscribing needs a payment method on file.');
}

export function checkPlanChange(state: TeamState, today: Day, request: PlanChangeRequest): void {
  if (!request || (request.plan === undefined && request.interval === undefined)) reject('invalid_request', 'Name a plan, an interval, or both.');
  if (request.plan !== undefined && !isPlan(request.plan)) reject('invalid_request', `Unknown plan ${String(request.plan)}.`);
  if (request.interval !== undefined && !isInterval(request.interval)) reject('invalid_request', `Unknown interval ${String(request.interval)}.`);
  if (state.status === 'free') reject('not_subscribed', 'A team on Free subscribes or starts a trial; it has no plan to change.');
  if (state.status === 'past_due') reject('past_due', 'The last invoice is unpaid: update the payment method and let it be paid first.');
  const decision = classifyPlanChange(state, request, today);
  if (decision.timing === 'none') reject('no_change', `The team is already on ${state.plan}, ${state.interval}.`);
  if (decision.timing === 'invalid') reject('invalid_request', decision.reason);
}

export function checkCancel(state: TeamState): void {
  if (state.status === 'free') reject('not_subscribed', 'The team is on Free: there is nothing to cancel.');
  if (state.status === 'past_due') reject('past_due', 'The last invoice is unpaid; the team drops to Free if it stays unpaid.');
  if (state.pendingChange?.plan === 'free') reject('already_canceled', `Already canceled, effective ${state.pendingChange.effectiveOn}.`);
}

export function checkWithdrawPendingChange(state: TeamState): void {
  if (!state.pendingChange) reject('no_pending_change', 'There is no pending change to withdraw.');
}

export function checkMemberCount(input: { count: number } | undefined): void {
  if (!input || !Number.isSafeInteger(input.count) || input.count < 1) reject('invalid_request', 'count must be a positive integer.');
}

export function checkRemoveMembers(state: TeamState, input: { count: number }): void {
  checkMemberCount(input);
  if (input.count > state.members) reject('invalid_request', `The team has ${state.members} members; it cannot lose ${input.count}.`);
}

/** A card is removed only when nothing is left to charge to it: on Free, with no seat order running or ordered. */
export function checkRemovePaymentMethod(state: TeamState): void {
  if (state.status !== 'free' || state.seatOrder || state.orderedSeats) {
    reject('payment_method_in_use', 'The card pays the current plan or seat order: cancel it, or set another card instead.');
  }
}

export function checkPaymentMethod(method: PaymentMethodRef | undefined): void {
  if (!method || (method.provider !== 'sandbox' && method.provider !== 'stripe')) reject('invalid_request', 'provider must be sandbox or stripe.');
  if (typeof method.paymentMethodId !== 'string' || method.paymentMethodId.trim() === '') reject('invalid_request', 'paymentMethodId is required.');
}
