// Every amount the workflow charges or refunds, computed from the state by the domain's functions. The
// upcoming-invoice preview calls these same functions, so the preview is what will be charged.
import {
  atPrice,
  buildInvoice,
  memberChangeLines,
  memberReviewInvoice,
  percentOffOnPeriodStart,
  renewalInvoice,
  trialEndInvoice,
  type Day,
  type HeldPrice,
  type Interval,
  type Invoice,
  type InvoiceLine,
  type MemberChangeResult,
  type MemberReviewResult,
  type PaidPlan,
  type Period,
  type PeriodDiscount,
  type PeriodStart,
  type RenewalResult,
} from '../../domain';
import type { PendingChangePrice, UpcomingInvoice } from '../team-subscription-messages';
import { pendingChangePrice, renewalPrice } from './price-changes';
import { upcomingSeatCharge } from './seat-charges';
import type { TeamState } from './state';

export interface PaidSubscription {
  plan: PaidPlan;
  interval: Interval;
  period: Period;
  anchorDay: number;
}

/** The paid period the state is in; throws when there is none (a bug: callers check the status first). */
export function paidSubscription(state: TeamState): PaidSubscription {
  if (state.plan === 'free' || !state.period || state.anchorDay === null) {
    throw new Error(`team ${state.teamId} has no paid period (status ${state.status})`);
  }
  return { plan: state.plan, interval: state.interval, period: state.period, anchorDay: state.anchorDay };
}

/**
 * The percent off of the invoice that billed the current period, which its removed members' refunds are reduced by
 * (section 14): recorded when that invoice was charged; for a period opened before it was recorded, the one the held
 * coupon gave the invoice of the period's first day.
 */
export function periodDiscountOf(state: TeamState): PeriodDiscount | null {
  if (state.periodDiscount !== undefined) return state.periodDiscount;
  return state.period && state.plan !== 'free' ? percentOffOnPeriodStart(state.coupon ?? null, state.period.start, state.plan) : null;
}

/**
 * Trial end: the first period, price × members on that day (trial member changes are not prorated), at the price the
 * trial took when it started or changed plan (section 14); the code catalog's for trials from before price-in-force.
 */
export function trialEndCharge(state: TeamState): PeriodStart {
  if (!state.trial || state.plan === 'free') throw new Error(`team ${state.teamId} is not trialing a paid plan`);
  return trialEndInvoice({ plan: state.plan, interval: state.interval, members: state.members, trialStart: state.trial.start, price: state.price });
}

/**
 * The next period's price × members (a pending change applies), plus the closing period's member changes. `inForce`:
 * the price in force on the renewal day for the pending change's plan and interval (pendingChangePrice), which that
 * period takes (section 14); null: the price held or scheduled, or the code catalog's.
 */
export function renewalCharge(state: TeamState, inForce: HeldPrice | null = null): RenewalResult & { next: { plan: PaidPlan; interval: Interval }; price: HeldPrice | null } {
  const current = paidSubscription(state);
  const pending = state.pendingChange;
  const next = pending && pending.plan !== 'free' ? { plan: pending.plan, interval: pending.interval } : { plan: current.plan, interval: current.interval };
  const renewal = renewalInvoice({
    closing: { plan: current.plan, interval: current.interval, period: current.period, price: state.price },
    next,
    members: state.members,
    anchorDay: current.anchorDay,
    memberChanges: state.memberChanges,
    refundDiscount: periodDiscountOf(state),
  });
  // Section 14: the price version the team holds, or a published one whose renewal this is.
  const price = inForce ?? renewalPrice(state, renewal.invoice.on, next, current.period.start);
  if (!price) return { ...renewal, next, price };
  const lines = renewal.invoice.lines.map((line, i) => (i === 0 ? atPrice(line, price) : line));
  return { ...renewal, invoice: buildInvoice(renewal.invoice.on, renewal.invoice.reason, lines), next, price };
}

/** Annual monthly review: adds charged, removals refunded, annualPrice × daysFrom(j, termEnd) ÷ daysInTerm each. */
export function memberReviewCharge(state: TeamState, on: Day): MemberReviewResult {
  const { plan, period } = paidSubscription(state);
  return memberReviewInvoice({ on, plan, term: period, memberChanges: state.memberChanges, price: state.price, refundDiscount: periodDiscountOf(state) });
}

/**
 * Member changes not billed yet, prorated over the current period to its end (price × count × daysLeft ÷
 * daysInPeriod, at the price held): billed before an immediate plan change replaces the period, or when a canceled
 * period ends.
 */
export function unbilledMemberLines(state: TeamState): MemberChangeResult {
  const { plan, interval, period } = paidSubscription(state);
  return memberChangeLines({ plan, interval, period, changes: state.memberChanges, ...(state.price ? { price: state.price.amount } : {}), refundDiscount: periodDiscountOf(state) });
}

/** A canceled subscription's last invoice: its unbilled member additions (null when there are none). */
export function cancellationCharge(state: TeamState, on: Day): { invoice: Invoice | null; refunds: InvoiceLine[]; refundTotal: number } {
  const lines = unbilledMemberLines(state);
  const invoice = lines.charges.length > 0 ? buildInvoice(on, 'member_review', lines.charges) : null;
  return { invoice, refunds: lines.refunds, refundTotal: lines.refundTotal };
}

/**
 * What the next scheduled charge will be, line by line. `inForce`: the price in force for the pending change's plan and
 * interval on its day, read from the ledger by the caller (the workflow's preview cannot read it): a renewal or a seat
 * order's end applying that change charges it.
 */
export function upcomingInvoice(state: TeamState, inForce: PendingChangePrice | null = null): UpcomingInvoice | null {
  const pendingPrice = pendingChangePrice(state, inForce);
  if (state.trial) {
    if (state.pendingChange?.plan === 'free') return null; // canceled during the trial: nothing is charged
    return preview(trialEndCharge(state).invoice, []);
  }
  const seatCharge = upcomingSeatCharge(state, pendingPrice);
  const reviewDue = state.nextReviewOn !== null && state.memberChanges.length > 0;
  // On the seat system, or switching to it when this period ends: the order is the next charge (the subscription's
  // last member changes, settled the same day, go to the balance or on a small invoice of their own).
  if (!state.period || (seatCharge && !reviewDue)) return seatCharge && preview(seatCharge, []);
  if (reviewDue && state.nextReviewOn) {
    const review = memberReviewCharge(state, state.nextReviewOn);
    return preview(review.invoice ?? buildInvoice(state.nextReviewOn, 'member_review', []), review.refunds);
  }
  if (state.pendingChange?.plan === 'free') {
    const last = cancellationCharge(state, state.period.end);
    return last.invoice ? preview(last.invoice, last.refunds) : null;
  }
  const renewal = renewalCharge(state, pendingPrice);
  return preview(renewal.invoice, renewal.refunds);
}

function preview(invoice: Invoice, refunds: InvoiceLine[]): UpcomingInvoice {
  return { on: invoice.on, reason: invoice.reason, lines: invoice.lines, total: invoice.total, refundsToBalance: refunds };
}
