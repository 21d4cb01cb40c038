// The checks behind the seat system's update validators (section 7), and the seat rules the subscription's own
// requests must respect while a seat order runs or is bought. Same contract as ./checks: a validator that throws
// leaves no trace in history, and the handler checks again after the day's scheduled events.
import { checkInvite, checkReorder, isInterval, isPastDue, isPlan, isSoldBySeats, isSoldPerMember, PURCHASE_ORDER_MAX_LENGTH, type Day } from '../../domain';
import type { InvoicePayment, PlanChangeRequest, SeatOrderRequest } from '../team-subscription-messages';
import { reject } from './checks';
import { invoiceAwaitingPayment, orderedSeatsOf, seatLimit, seatOrderOf } from './seat-state';
import type { TeamState } from './state';

const MAX_DUE_DAYS = 90;

export function checkBuySeats(state: TeamState, today: Day, request: SeatOrderRequest): void {
  if (!request || !isPlan(request.plan) || !isSoldBySeats(request.plan, today)) {
    reject('invalid_request', 'Name a plan sold by seats (basic, professional or enterprise).');
  }
  if (!Number.isSafeInteger(request.seats) || request.seats < 1) reject('invalid_request', 'seats must be a positive integer.');
  const { dueDays } = request;
  if (dueDays !== undefined && (!request.invoiceFirst || !Number.isSafeInteger(dueDays) || dueDays < 1 || dueDays > MAX_DUE_DAYS)) {
    reject('invalid_request', `dueDays goes with invoiceFirst and is 1 to ${MAX_DUE_DAYS}.`);
  }
  const { purchaseOrder } = request;
  if (purchaseOrder !== undefined && (!request.invoiceFirst || typeof purchaseOrder !== 'string' || purchaseOrder.trim() === '' || purchaseOrder.length > PURCHASE_ORDER_MAX_LENGTH)) {
    reject('invalid_request', `purchaseOrder goes with invoiceFirst and is 1 to ${PURCHASE_ORDER_MAX_LENGTH} characters.`);
  }
  if (state.status === 'trialing') reject('trialing', 'The team is in a trial: cancel it or let it end before ordering seats.');
  if (state.status === 'past_due') reject('past_due', 'The last invoice is unpaid: let it be paid first.');
  if (orderedSeatsOf(state)) reject('order_pending', 'A seat order is already bought and waiting to start.');
  if (seatOrderOf(state) && state.pendingChange) reject('switch_pending', 'The team switches to a subscription when this order ends.');
  const reorder = checkReorder({ seats: request.seats, members: state.members }); // never below the current members
  if (!reorder.ok) reject(reorder.error, reorder.message);
  if (!request.invoiceFirst && !state.paymentMethod) reject('payment_method_required', 'Paying by card needs a payment method on file; or order invoice first.');
}

export function checkAddSeats(state: TeamState, input: { count: number } | undefined): void {
  if (!input || !Number.isSafeInteger(input.count) || input.count < 1) reject('invalid_request', 'count must be a positive integer.');
  if (!seatOrderOf(state)) reject('no_seat_order', 'The team has no running seat order to add seats to.');
  if (!state.paymentMethod) reject('payment_method_required', 'Adding seats is charged to the payment method on file.');
}

export function checkInvoicePayment(state: TeamState, today: Day, payment: InvoicePayment): void {
  if (!payment || typeof payment.reference !== 'string' || payment.reference.trim() === '') reject('invalid_request', 'reference is required.');
  if (payment.method !== 'bank_transfer' && payment.method !== 'card') reject('invalid_request', 'method must be bank_transfer or card.');
  const invoice = orderedSeatsOf(state)?.invoice;
  if (!invoice || invoice.invoiceId !== payment.invoiceId || invoice.paid) {
    reject('no_open_invoice', `Invoice ${String(payment.invoiceId)} is not an open seat order invoice of this team.`);
  }
  if (isPastDue(invoice.dueOn, today)) reject('no_open_invoice', `Invoice ${invoice.invoiceId} was due on ${invoice.dueOn}.`);
}

/** Inviting stays within the seats: the error names the seats needed. */
export function checkSeatsForInvite(state: TeamState, inviting: number): void {
  const seats = seatLimit(state);
  if (seats === null) return;
  const check = checkInvite({ members: state.members, seats, inviting });
  if (!check.ok) reject(check.error, check.message);
}

/**
 * A plan change while on the seat system is the switch to the subscription system at the order's end; while a switch
 * to seats is bought, the subscription stays as it is until it ends.
 */
export function checkSeatPlanChange(state: TeamState, today: Day, request: PlanChangeRequest): void {
  if (orderedSeatsOf(state) && !seatOrderOf(state)) reject('switch_pending', 'The team switches to a seat order when this period ends.');
  if (!seatOrderOf(state)) return;
  const plan = request.plan;
  const interval = request.interval ?? 'year';
  if (plan === undefined || plan === 'free' || !isPlan(plan) || !isInterval(interval) || !isSoldPerMember(plan, today)) {
    reject('invalid_request', 'Seat orders do not renew: name a plan sold per member to subscribe to when the order ends, or reorder seats.');
  }
  if (orderedSeatsOf(state)) reject('order_pending', 'A reorder of seats is bought already.');
  if (!state.paymentMethod) reject('payment_method_required', 'The subscription is charged to a payment method on file.');
}

/**
 * One system at a time (section 7): an order bought invoice first on Free starts when it is paid, so a trial or
 * subscription started meanwhile would run under it. Refused until the order is paid (it starts) or voided (Free).
 */
export function checkNoOrderAwaitingPayment(state: TeamState): void {
  const invoice = invoiceAwaitingPayment(state);
  if (invoice) {
    reject('order_pending', `A seat order awaits the payment of invoice ${invoice.invoiceId} (due ${invoice.dueOn}): the team starts on seats when it is paid, or stays on Free if it is voided.`);
  }
}

export function checkSeatCancel(state: TeamState): void {
  if (seatOrderOf(state)) reject('invalid_request', 'Seat orders do not renew: there is nothing to cancel.');
  if (orderedSeatsOf(state)) reject('switch_pending', 'The team switches to a seat order when this period ends.');
}

export function checkSeatWithdraw(state: TeamState): void {
  if (orderedSeatsOf(state) && !seatOrderOf(state)) reject('switch_pending', 'The team switches to a seat order when this period ends.');
}
