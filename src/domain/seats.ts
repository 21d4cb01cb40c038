// Seat system (section 7): yearly orders of N seats. Seats may be added mid-order
// (prorated to the order's end), never reduced within it; a reorder may go
// down, but not below the members. Orders do not renew on their own.
import { addDays, daysBetween, periodDays, termFrom, assertInPeriod, type Day, type Period } from './calendar';
import { defaultCatalog, PLAN_NAMES, seatPrice, type Catalog, type PaidPlan } from './catalog';
import { countText, describeSeatOrder, describeSeatsAdded } from './descriptions';
import { buildInvoice, type Invoice, type InvoiceLine } from './invoice';
import { multiply, prorate } from './money';

export const EXPIRY_NOTICE_DAYS = 30;
export const INVOICE_FIRST_DUE_DAYS = 30;
/** Invoice first: the longest purchase-order reference a buyer may give the invoice. */
export const PURCHASE_ORDER_MAX_LENGTH = 100;

/** An order runs one year (12 anchored months) from its start. */
export function seatOrderPeriod(start: Day): Period {
  return termFrom(start);
}

function assertSeats(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError(`${what} must be a positive integer, got ${count}`);
}

/** seatPrice × seats for a year from `start`. */
export function seatOrderInvoice(input: { plan: PaidPlan; seats: number; start: Day; catalog?: Catalog }): { invoice: Invoice; order: Period } {
  assertSeats(input.seats, 'seats');
  const order = seatOrderPeriod(input.start);
  const amount = multiply(seatPrice(input.plan, order.start, input.catalog ?? defaultCatalog), input.seats); // seatPrice × seats
  const line: InvoiceLine = { kind: 'seat_order', description: describeSeatOrder(input.plan, input.seats, order), amount };
  return { invoice: buildInvoice(input.start, 'seat_order', [line]), order };
}

/**
 * Invoice first: seatPrice × seats, priced on the day the invoice is issued. The year starts when it is paid, so the
 * line names no dates: 'Basic, seat order, 10 seats, one year from payment'.
 */
export function invoiceFirstSeatOrderInvoice(input: { plan: PaidPlan; seats: number; issuedOn: Day; catalog?: Catalog }): Invoice {
  assertSeats(input.seats, 'seats');
  const amount = multiply(seatPrice(input.plan, input.issuedOn, input.catalog ?? defaultCatalog), input.seats); // seatPrice × seats
  const description = `${PLAN_NAMES[input.plan]}, seat order, ${countText(input.seats, 'seat')}, one year from payment`;
  return buildInvoice(input.issuedOn, 'seat_order', [{ kind: 'seat_order', description, amount }]);
}

/** seatPrice × added × daysFrom(today, orderEnd) ÷ daysInOrder, rounded once; priced as the order. */
export function seatAdditionInvoice(input: { plan: PaidPlan; added: number; today: Day; order: Period; catalog?: Catalog }): Invoice {
  assertSeats(input.added, 'seats added');
  assertInPeriod(input.today, input.order);
  const price = seatPrice(input.plan, input.order.start, input.catalog ?? defaultCatalog);
  const days = daysBetween(input.today, input.order.end);
  const daysInOrder = periodDays(input.order);
  const line: InvoiceLine = {
    kind: 'seats_added',
    description: describeSeatsAdded(input.plan, input.added, input.today, days, daysInOrder),
    amount: prorate(price, input.added, days, daysInOrder),
  };
  return buildInvoice(input.today, 'seat_addition', [line]);
}

export type SeatCheck =
  | { ok: true }
  | { ok: false; error: 'not_enough_seats'; seats: number; seatsNeeded: number; seatsToAdd: number; message: string };

/** Inviting is allowed while members ≤ seats; otherwise the error names the seats needed. */
export function checkInvite(input: { members: number; seats: number; inviting?: number }): SeatCheck {
  const inviting = input.inviting ?? 1;
  const seatsNeeded = input.members + inviting;
  if (seatsNeeded <= input.seats) return { ok: true };
  const seatsToAdd = seatsNeeded - input.seats;
  return {
    ok: false,
    error: 'not_enough_seats',
    seats: input.seats,
    seatsNeeded,
    seatsToAdd,
    message: `Not enough seats: ${seatsNeeded} seats are needed and the order has ${input.seats}. Add ${seatsToAdd} seat${seatsToAdd === 1 ? '' : 's'} first.`,
  };
}

export type ReorderCheck = { ok: true } | { ok: false; error: 'seats_below_members'; members: number; message: string };

/** A reorder may lower the seat count, never below the current members. */
export function checkReorder(input: { seats: number; members: number }): ReorderCheck {
  assertSeats(input.seats, 'seats');
  if (input.seats >= input.members) return { ok: true };
  return {
    ok: false,
    error: 'seats_below_members',
    members: input.members,
    message: `A reorder needs at least ${input.members} seats, one per current member; ${input.seats} were asked.`,
  };
}

/** The `expiry_notice` day: order end − 30 days. */
export function expiryNoticeDay(order: Period): Day {
  return addDays(order.end, -EXPIRY_NOTICE_DAYS);
}

/** Invoice first: the due day of an order's open invoice (default 30 days after issue). */
export function invoiceDueDay(issuedOn: Day, days: number = INVOICE_FIRST_DUE_DAYS): Day {
  return addDays(issuedOn, days);
}

/** An unpaid invoice is voided once its due day has passed (it can still be paid on the due day). */
export function isPastDue(dueOn: Day, today: Day): boolean {
  return today > dueOn;
}
