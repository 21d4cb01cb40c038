// Invoices of the subscription system's scheduled events: first charge (trial
// end or subscribe), renewal, and the monthly member review of annual terms.
// Each period is priced by the catalog version in force on its first day.
import {
  addDays,
  addMonths,
  dayOfMonth,
  periodFrom,
  trialEnd,
  MONTHS_PER_TERM,
  type Day,
  type Interval,
  type Period,
} from './calendar';
import { defaultCatalog, memberPrice, type Catalog, type PaidPlan, type Plan } from './catalog';
import { describePeriodCharge } from './descriptions';
import type { PeriodDiscount } from './coupons';
import { buildInvoice, type Invoice, type InvoiceLine } from './invoice';
import { multiply, type Cents } from './money';
import type { HeldPrice } from './price-versions';
import { memberChangeLines, type MemberChange } from './proration';

/** Days before an annual term ends that the `renewal_reminder` notice goes out. */
export const RENEWAL_REMINDER_DAYS = 30;

/** Days before a trial ends that the `trial_ending` notice goes out. */
export const TRIAL_ENDING_NOTICE_DAYS = 3;

/**
 * price × members for a whole period: at `price`, the version the team took (section 14), recorded on the line; without
 * one, at the code catalog's price in force on period.start (runs from before price versions).
 */
export function periodChargeLine(
  plan: Plan, interval: Interval, members: number, period: Period, catalog: Catalog = defaultCatalog, price?: HeldPrice | null,
): InvoiceLine {
  const line: InvoiceLine = { kind: 'period', description: describePeriodCharge(plan, interval, members, period), amount: 0, plan, interval, quantity: members };
  return price ? atPrice(line, price) : { ...line, amount: multiply(memberPrice(plan, interval, period.start, catalog), members) }; // price × members
}

/** A period line at a price version: price × members, and the version it was priced at. */
export function atPrice(line: InvoiceLine, price: HeldPrice): InvoiceLine {
  return { ...line, amount: multiply(price.amount, line.quantity ?? 0), priceVersion: price.version }; // price × members
}

export type TrialCheck =
  | { ok: true; trialEnd: Day }
  | { ok: false; error: 'payment_method_required' | 'trial_already_used'; message: string };

/** A trial needs a payment method on file, and a team gets one trial, ever. */
export function checkTrialStart(input: { today: Day; hasPaymentMethod: boolean; hadTrial: boolean }): TrialCheck {
  if (input.hadTrial) return { ok: false, error: 'trial_already_used', message: 'This team has already had its trial.' };
  if (!input.hasPaymentMethod) return { ok: false, error: 'payment_method_required', message: 'A trial needs a payment method on file.' };
  return { ok: true, trialEnd: trialEnd(input.today) };
}

export interface FirstChargeInput {
  plan: PaidPlan;
  interval: Interval;
  /** Members on the first day (during a trial, changes are not prorated). */
  members: number;
  catalog?: Catalog;
  /** The price version the team took for this plan and interval (section 14); absent: the code catalog's. */
  price?: HeldPrice | null;
}

export interface PeriodStart {
  invoice: Invoice;
  period: Period;
  /** Day of month the period is anchored on: every later period ends on it (clamped). */
  anchorDay: number;
}

/** Subscribing without a trial: the first period starts and is charged today. */
export function subscribeInvoice(input: FirstChargeInput & { today: Day }): PeriodStart {
  const period = periodFrom(input.today, input.interval);
  const line = periodChargeLine(input.plan, input.interval, input.members, period, input.catalog, input.price);
  return { invoice: buildInvoice(input.today, 'subscribe', [line]), period, anchorDay: dayOfMonth(input.today) };
}

/** At trial end (start + 14 days) the first period is charged and anchored there. */
export function trialEndInvoice(input: FirstChargeInput & { trialStart: Day }): PeriodStart {
  const start = trialEnd(input.trialStart);
  const period = periodFrom(start, input.interval);
  const line = periodChargeLine(input.plan, input.interval, input.members, period, input.catalog, input.price);
  return { invoice: buildInvoice(start, 'trial_end', [line]), period, anchorDay: dayOfMonth(start) };
}

export interface RenewalInput {
  /** The period (monthly) or term (annual) that ends now, and the price held for it (absent: the catalog's); renewal happens on its end day. */
  closing: { plan: PaidPlan; interval: Interval; period: Period; price?: HeldPrice | null };
  /** A pending change taking effect now (tier down, annual → monthly); default: same plan. */
  next?: { plan: PaidPlan; interval: Interval };
  /** Members on the renewal day, after the changes below. */
  members: number;
  anchorDay: number;
  /** Member changes not yet reviewed (monthly: the whole period; annual: since the last monthly review). */
  memberChanges?: readonly MemberChange[];
  /** The percent off of the invoice that billed the closing period: its removed members' refunds are reduced by it. */
  refundDiscount?: PeriodDiscount | null;
  catalog?: Catalog;
}

export interface RenewalResult {
  /** New period line (price × members) and the member-change lines. */
  invoice: Invoice;
  /** Refunds of removed members: add to the team balance before paying the invoice. */
  refunds: InvoiceLine[];
  refundTotal: Cents;
  period: Period;
}

/**
 * Renewal: `price × members` for the new period (at the price in force on its
 * first day) plus the closing period's member-change lines, prorated over the
 * closing period at its own price.
 */
export function renewalInvoice(input: RenewalInput): RenewalResult {
  const { closing, members, anchorDay } = input;
  const next = input.next ?? { plan: closing.plan, interval: closing.interval };
  const on = closing.period.end;
  const period = periodFrom(on, next.interval, anchorDay);
  const changes = memberChangeLines({
    plan: closing.plan,
    interval: closing.interval,
    period: closing.period,
    changes: input.memberChanges ?? [],
    catalog: input.catalog,
    ...(closing.price ? { price: closing.price.amount } : {}),
    refundDiscount: input.refundDiscount,
  });
  const lines = [periodChargeLine(next.plan, next.interval, members, period, input.catalog), ...changes.charges];
  return { invoice: buildInvoice(on, 'renewal', lines), refunds: changes.refunds, refundTotal: changes.refundTotal, period };
}

export interface MemberReviewInput {
  /** The review day: the anchor day of a month inside the term. */
  on: Day;
  plan: PaidPlan;
  term: Period;
  /** Changes since the previous review, each before `on`. */
  memberChanges: readonly MemberChange[];
  /** The percent off of the invoice that billed the term: its removed members' refunds are reduced by it. */
  refundDiscount?: PeriodDiscount | null;
  catalog?: Catalog;
  /** The price held for the term (section 14); absent: the catalog's. */
  price?: HeldPrice | null;
}

export interface MemberReviewResult {
  /** Null when nothing is charged (no adds, or only refunds). */
  invoice: Invoice | null;
  refunds: InvoiceLine[];
  refundTotal: Cents;
}

/**
 * Monthly review of an annual term: each add is charged
 * annualPrice × daysFrom(j, termEnd) ÷ daysInTerm, each removal refunded the same.
 */
export function memberReviewInvoice(input: MemberReviewInput): MemberReviewResult {
  for (const change of input.memberChanges) {
    if (change.on >= input.on) throw new RangeError(`change on ${change.on} is not before the review on ${input.on}`);
  }
  const changes = memberChangeLines({
    plan: input.plan, interval: 'year', period: input.term, changes: input.memberChanges, catalog: input.catalog, ...(input.price ? { price: input.price.amount } : {}), refundDiscount: input.refundDiscount,
  });
  const invoice = changes.charges.length > 0 ? buildInvoice(input.on, 'member_review', changes.charges) : null;
  return { invoice, refunds: changes.refunds, refundTotal: changes.refundTotal };
}

/** Monthly review days of an annual term: the anchor day of each month, before the term end (which is the renewal). */
export function memberReviewDays(term: Period, anchorDay: number): Day[] {
  const days: Day[] = [];
  for (let k = 1; k < MONTHS_PER_TERM; k++) days.push(addMonths(term.start, k, anchorDay));
  return days;
}

/** The next review of member changes after `today`: a monthly review day or the renewal. */
export function nextMemberReview(period: Period, interval: Interval, anchorDay: number, today: Day): Day {
  if (interval === 'year') {
    for (const day of memberReviewDays(period, anchorDay)) if (day > today) return day;
  }
  return period.end;
}

/** Annual terms: the `renewal_reminder` goes out on term end − 30 days. */
export function renewalReminderDay(term: Period): Day {
  return addDays(term.end, -RENEWAL_REMINDER_DAYS);
}

/** Trials: the `trial_ending` notice goes out on trial end − 3 days; a trial shorter than that gets none. */
export function trialEndingNoticeDay(trial: Period): Day | null {
  const on = addDays(trial.end, -TRIAL_ENDING_NOTICE_DAYS);
  return on < trial.start ? null : on;
}
