// The subscription view a team's run publishes (the read model's row, an answer's `published`, the stateQuery's
// base): a pure function of the state, so a run and its replay publish the same JSON.
import type { PublishedSubscriptionView } from '../team-subscription-messages';
import { periodDiscountOf } from './charges';
import { nextEventOn } from './schedule';
import { orderedSeatsOf, seatOrderOf } from './seat-state';
import type { TeamState } from './state';

/** The team's view without what depends on the moment of reading: what the read model stores and answers carry. */
export function publishedViewOf(s: TeamState): PublishedSubscriptionView {
  const periodDiscount = s.pricingView ? periodDiscountOf(s) : null; // what quotes of a removal take off its refund
  return {
    teamId: s.teamId,
    plan: s.plan,
    interval: s.interval,
    status: s.status,
    members: s.members,
    seats: seatOrderOf(s)?.seats ?? null,
    seatOrder: seatOrderOf(s),
    orderedSeats: orderedSeatsOf(s),
    period: s.period,
    periodEnd: s.period?.end ?? s.trial?.end ?? seatOrderOf(s)?.period.end ?? null,
    anchorDay: s.anchorDay,
    trial: s.trial,
    hadTrial: s.hadTrial,
    pendingChange: s.pendingChange,
    dunning: s.dunning && { invoiceId: s.dunning.invoiceId, firstFailure: s.dunning.firstFailure, failedRetries: s.dunning.failedRetries, nextTryOn: s.dunning.nextTryOn },
    unbilledMemberChanges: [...s.memberChanges],
    lastPaymentFailure: s.lastPaymentFailure ?? null,
    hasPaymentMethod: s.paymentMethod !== null,
    nextEventOn: nextEventOn(s),
    // Section 14, under pricing-view: a view that changes adds a records command, so runs before it publish none.
    ...(s.pricingView && s.coupon ? { coupon: s.coupon } : {}),
    ...(periodDiscount ? { periodDiscount } : {}),
    ...(s.pricingView && s.priceChange ? { priceChange: s.priceChange } : {}),
    // Changes only with the plan, interval or period (a new price is taken only there), so it adds no records command.
    ...(s.price ? { price: s.price } : {}),
  };
}
