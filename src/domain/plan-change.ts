// Plan changes (section 6): one classification of the table, and the invoice
// of the immediate part.
//
// | change                                 | takes effect                                  |
// | tier up, same interval                 | now; new period from today (new anchor)       |
// | monthly → annual                       | now; new annual term from today               |
// | tier down, same interval               | at period end                                 |
// | annual → monthly                       | at term end                                   |
// | cancel (to free)                       | at period end                                 |
// | tier up and annual → monthly           | tier up now (annual), monthly at term end     |
// | tier down and monthly → annual         | both now: lower tier, new annual term         |
// Beyond the table: tier up and monthly → annual is both now (two "now" rows);
// tier down and annual → monthly is both at term end (two deferred rows).
import { dayOfMonth, periodFrom, isInPeriod, type Day, type Interval, type Period } from './calendar';
import { defaultCatalog, isSoldPerMember, memberPrice, tierOf, type Catalog, type PaidPlan, type Plan } from './catalog';
import type { PeriodDiscount } from './coupons';
import { buildInvoice, type Invoice, type InvoiceLine } from './invoice';
import type { Cents } from './money';
import type { HeldPrice } from './price-versions';
import { memberChangeLines, unusedTimeLine, type MemberChange } from './proration';
import { periodChargeLine } from './renewal';

export interface PlanSelection {
  plan: Plan;
  interval: Interval;
}

export type PlanChangeRule =
  | 'tier_up'
  | 'monthly_to_annual'
  | 'tier_down'
  | 'annual_to_monthly'
  | 'cancel'
  | 'tier_up_and_annual_to_monthly'
  | 'tier_down_and_monthly_to_annual'
  | 'tier_up_and_monthly_to_annual'
  | 'tier_down_and_annual_to_monthly';

export type PlanChangeClass =
  | { timing: 'none' }
  | { timing: 'invalid'; reason: string }
  | { timing: 'immediate'; rule: PlanChangeRule; to: PlanSelection }
  | { timing: 'deferred'; rule: PlanChangeRule; to: PlanSelection }
  | { timing: 'split'; rule: PlanChangeRule; now: PlanSelection; atPeriodEnd: PlanSelection };

/**
 * Section 6 as one function. `to` may name only a plan or only an interval.
 * `on` picks the catalog version for tiers and availability.
 */
export function classifyPlanChange(
  from: PlanSelection,
  to: Partial<PlanSelection>,
  on: Day,
  catalog: Catalog = defaultCatalog,
): PlanChangeClass {
  const target: PlanSelection = { plan: to.plan ?? from.plan, interval: to.interval ?? from.interval };
  if (target.plan === from.plan && target.interval === from.interval) return { timing: 'none' };
  if (from.plan === 'free') return { timing: 'invalid', reason: 'a team on Free subscribes; it has no plan to change' };
  if (target.plan === 'free') return { timing: 'deferred', rule: 'cancel', to: { plan: 'free', interval: from.interval } };
  if (!isSoldPerMember(target.plan, on, catalog)) {
    return { timing: 'invalid', reason: `${target.plan} is sold by seat orders only, not per member` };
  }
  const tierDelta = tierOf(target.plan, on, catalog) - tierOf(from.plan, on, catalog);
  const toAnnual = from.interval === 'month' && target.interval === 'year';
  const toMonthly = from.interval === 'year' && target.interval === 'month';

  if (tierDelta === 0) {
    return toAnnual ? { timing: 'immediate', rule: 'monthly_to_annual', to: target } : { timing: 'deferred', rule: 'annual_to_monthly', to: target };
  }
  if (tierDelta > 0) {
    if (toMonthly) {
      return { timing: 'split', rule: 'tier_up_and_annual_to_monthly', now: { plan: target.plan, interval: 'year' }, atPeriodEnd: target };
    }
    return { timing: 'immediate', rule: toAnnual ? 'tier_up_and_monthly_to_annual' : 'tier_up', to: target };
  }
  if (toAnnual) return { timing: 'immediate', rule: 'tier_down_and_monthly_to_annual', to: target };
  return { timing: 'deferred', rule: toMonthly ? 'tier_down_and_annual_to_monthly' : 'tier_down', to: target };
}

export interface CurrentSubscription {
  plan: PaidPlan;
  interval: Interval;
  /** The current period (monthly) or term (annual). */
  period: Period;
  members: number;
  /** The price version the team pays for it (section 14); absent or null: the code catalog's. */
  price?: HeldPrice | null;
}

/** A deferred change, replaceable or withdrawable until `effectiveOn`. */
export interface PendingChange {
  plan: Plan;
  interval: Interval;
  effectiveOn: Day;
}

export interface PlanChangeInput {
  current: CurrentSubscription;
  to: Partial<PlanSelection>;
  today: Day;
  catalog?: Catalog;
  /** The current period's member changes not billed yet: an immediate change bills them before the period ends. */
  unbilledMemberChanges?: readonly MemberChange[];
  /** The price in force today for the period an immediate change starts (newPeriodOf); absent: the code catalog's. */
  price?: HeldPrice | null;
  /** The percent off of the invoice that billed the current period: the unbilled removals' refunds are reduced by it. */
  refundDiscount?: PeriodDiscount | null;
}

export interface ImmediateChange {
  rule: PlanChangeRule;
  /** New period line, the negative "Unused time on …" line, then the unbilled member changes' charges. */
  invoice: Invoice;
  /** The unbilled removals' refunds, to the team balance (not on the invoice), less the period's percent off. */
  memberRefunds: InvoiceLine[];
  memberRefundTotal: Cents;
  plan: PaidPlan;
  interval: Interval;
  /** The new period or term, from today. */
  period: Period;
  anchorDay: number;
}

export type PlanChangeOutcome =
  | { timing: 'none' }
  | { timing: 'invalid'; reason: string }
  /** Apply now; any pending change is cleared. */
  | ({ timing: 'immediate'; pending: null } & ImmediateChange)
  /** Nothing now; replaces any pending change. */
  | { timing: 'deferred'; rule: PlanChangeRule; pending: PendingChange }
  /** Apply the immediate part now and keep `pending` for the new term's end. */
  | ({ timing: 'split'; pending: PendingChange } & ImmediateChange);

/**
 * The invoice of an immediate change: new price × members for a new period starting today,
 * −(oldPrice × members × daysFrom(today, oldEnd) ÷ daysInOldPeriod), and the old period's member changes not billed
 * yet, prorated to its end (price × count × daysLeft ÷ daysInPeriod; removals refunded to the balance). The workflow
 * charges this invoice and the API's quote shows it: one function for both.
 */
export function immediateChange(
  current: CurrentSubscription,
  to: { plan: PaidPlan; interval: Interval },
  today: Day,
  rule: PlanChangeRule,
  catalog: Catalog = defaultCatalog,
  unbilledMemberChanges: readonly MemberChange[] = [],
  price: HeldPrice | null = null,
  refundDiscount: PeriodDiscount | null = null,
): ImmediateChange {
  if (!isInPeriod(today, current.period)) {
    throw new RangeError(`${today} is outside the current period ${current.period.start} → ${current.period.end}`);
  }
  const anchorDay = dayOfMonth(today);
  const period = periodFrom(today, to.interval, anchorDay);
  const oldPrice = current.price?.amount ?? memberPrice(current.plan, current.interval, current.period.start, catalog); // what the team paid
  const members = unbilledMemberChanges.length > 0
    ? memberChangeLines({ plan: current.plan, interval: current.interval, period: current.period, changes: unbilledMemberChanges, catalog, price: oldPrice, refundDiscount })
    : { charges: [], refunds: [], refundTotal: 0 };
  const lines = [
    periodChargeLine(to.plan, to.interval, current.members, period, catalog, price),
    unusedTimeLine(current.plan, oldPrice, current.members, today, current.period),
    ...members.charges,
  ];
  return {
    rule, invoice: buildInvoice(today, 'plan_change', lines), memberRefunds: members.refunds, memberRefundTotal: members.refundTotal,
    plan: to.plan, interval: to.interval, period, anchorDay,
  };
}

/** Classifies a requested change and computes what it does now and later. */
export function planChange(input: PlanChangeInput): PlanChangeOutcome {
  const catalog = input.catalog ?? defaultCatalog;
  const { current, today } = input;
  const decision = classifyPlanChange(current, input.to, today, catalog);
  switch (decision.timing) {
    case 'none':
    case 'invalid':
      return decision;
    case 'deferred':
      return { timing: 'deferred', rule: decision.rule, pending: { ...decision.to, effectiveOn: current.period.end } };
    case 'immediate':
      return { timing: 'immediate', pending: null, ...immediateChange(current, asPaid(decision.to), today, decision.rule, catalog, input.unbilledMemberChanges, input.price, input.refundDiscount) };
    case 'split': {
      const now = immediateChange(current, asPaid(decision.now), today, decision.rule, catalog, input.unbilledMemberChanges, input.price, input.refundDiscount);
      return { timing: 'split', ...now, pending: { ...decision.atPeriodEnd, effectiveOn: now.period.end } };
    }
  }
}

/**
 * The plan and interval of the period a change requested today starts now (immediate, or a split's immediate part):
 * the price fixed for it is the one in force today (section 14). Null when nothing starts now.
 */
export function newPeriodOf(current: PlanSelection, to: Partial<PlanSelection>, today: Day, catalog: Catalog = defaultCatalog): { plan: PaidPlan; interval: Interval } | null {
  const decision = classifyPlanChange(current, to, today, catalog);
  if (decision.timing === 'immediate') return asPaid(decision.to);
  return decision.timing === 'split' ? asPaid(decision.now) : null;
}

/**
 * The plan and interval of the period a pending (deferred) change starts, and the day it takes effect: a tier down or
 * annual → monthly at the period's end, or a subscription at a seat order's end. It is a change of plan or interval,
 * so that period takes the price in force on that day (section 14), with no 30-day notice. Null when nothing is
 * pending or the change goes to Free (nothing is charged).
 */
export function deferredPeriodOf(pending: PendingChange | null): { plan: PaidPlan; interval: Interval; on: Day } | null {
  if (!pending || pending.plan === 'free') return null;
  return { plan: pending.plan, interval: pending.interval, on: pending.effectiveOn };
}

function asPaid(selection: PlanSelection): { plan: PaidPlan; interval: Interval } {
  if (selection.plan === 'free') throw new RangeError('an immediate change never goes to free');
  return { plan: selection.plan, interval: selection.interval };
}
