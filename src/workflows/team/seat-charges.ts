// The seat system's next charge, for the upcoming-invoice preview: computed by the same domain functions that make it
// (seat-orders.ts), so the preview is what will be charged.
import { seatOrderInvoice, subscribeInvoice, type HeldPrice, type Invoice } from '../../domain';
import { orderedSeatsOf, seatOrderOf } from './seat-state';
import type { TeamState } from './state';

/**
 * Ordered seats charged to the card on their start day (seatPrice × seats), or a subscription chosen for the running
 * order's end (price × members then). An invoice-first order is billed already (its open invoice), and a running order
 * with nothing after it charges nothing more: null. `price`: the price in force on the order's end for that subscription
 * (section 14: it takes the price in force that day); null: the code catalog's.
 */
export function upcomingSeatCharge(state: TeamState, price: HeldPrice | null = null): Invoice | null {
  const ordered = orderedSeatsOf(state);
  if (ordered && ordered.invoice === null) return seatOrderInvoice({ plan: ordered.plan, seats: ordered.seats, start: ordered.startsOn }).invoice;
  const order = seatOrderOf(state);
  const next = state.pendingChange;
  if (order && next && next.plan !== 'free' && !ordered) {
    return subscribeInvoice({ plan: next.plan, interval: next.interval, members: state.members, today: order.period.end, price }).invoice;
  }
  return null;
}
