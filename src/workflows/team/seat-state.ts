// The seat system's part of a team's state (section 7), plain JSON like the rest. Both fields are optional: a state
// carried over from a run before seat orders existed has neither, and reads as "no seat order".
import { expiryNoticeDay, seatOrderPeriod, type Cents, type Day, type PaidPlan, type Period } from '../../domain';
import type { TeamState } from './state';

/** A running seat order: `seats` of `plan` for one year; it does not renew on its own. */
export interface SeatOrder {
  plan: PaidPlan;
  seats: number;
  period: Period;
  /** Order end − 30 days; null once the notice went out. */
  expiryNoticeOn: Day | null;
}

/** Invoice first: the order's open invoice, payable through `dueOn`. */
export interface OrderInvoice {
  invoiceId: string;
  key: string;
  total: Cents;
  /** What is left to pay after the team balance and credits (section 4). */
  charged: Cents;
  dueOn: Day;
  paid: boolean;
  /** Sent through Stripe (`send_invoice`): its invoice there, and the page where the customer pays it. */
  provider?: { invoiceId: string; hostedInvoiceUrl: string | null };
}

/** A seat order bought but not started: it waits for the current period or order to end, or for its payment. */
export interface OrderedSeats {
  plan: PaidPlan;
  seats: number;
  /** The earliest day it starts: the day it was bought, or the end of the current period or order. */
  startsOn: Day;
  /** Invoice first; null when the card is charged on `startsOn`. */
  invoice: OrderInvoice | null;
}

export type SeatState = Pick<TeamState, 'seatOrder' | 'orderedSeats'>;

export function seatOrderOf(state: SeatState): SeatOrder | null {
  return state.seatOrder ?? null;
}

export function orderedSeatsOf(state: SeatState): OrderedSeats | null {
  return state.orderedSeats ?? null;
}

/** Paid for (or charged to the card when it starts): it starts on `startsOn`, or at once if that has passed. */
export function isReadyToStart(ordered: OrderedSeats): boolean {
  return ordered.invoice === null || ordered.invoice.paid;
}

/** An order bought invoice first whose invoice is not paid yet: its invoice, else null. */
export function invoiceAwaitingPayment(state: SeatState): OrderInvoice | null {
  const invoice = orderedSeatsOf(state)?.invoice;
  return invoice && !invoice.paid ? invoice : null;
}

/** The ordered seats start on `day` (a subscription or order ending that day hands over to them, not to Free). */
export function seatsStartOn(state: SeatState, day: Day): boolean {
  const ordered = orderedSeatsOf(state);
  return ordered !== null && ordered.startsOn === day && isReadyToStart(ordered);
}

/**
 * Members an invite may bring the team to: the running order's seats and, when another order is bought, its seats
 * too, so the next order never starts with more members than seats.
 */
export function seatLimit(state: SeatState): number | null {
  const counts = [seatOrderOf(state)?.seats, orderedSeatsOf(state)?.seats].filter((seats): seats is number => seats !== undefined);
  return counts.length === 0 ? null : Math.min(...counts);
}

export function newSeatOrder(plan: PaidPlan, seats: number, start: Day): SeatOrder {
  const period = seatOrderPeriod(start); // one year: 12 anchored months
  return { plan, seats, period, expiryNoticeOn: expiryNoticeDay(period) }; // order end − 30 days
}
