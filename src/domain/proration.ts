// Proration of member changes (section 5) and of the unused old period
// (section 6). Every amount is price × count × days ÷ daysInPeriod, rounded
// once per line by money.prorate. A day of usage counts the change day and
// excludes the period's end day.
import { dayNumber, daysLeft, periodDays, type Day, type Interval, type Period } from './calendar';
import { defaultCatalog, memberPrice, type Catalog, type Plan } from './catalog';
import {
  describeMembersAdded,
  describeMembersAddedThenRemoved,
  describeMembersRemoved,
  describeMembersRemovedThenAdded,
  describeUnusedTime,
} from './descriptions';
import { refundDiscountLine, type PeriodDiscount } from './coupons';
import type { InvoiceLine } from './invoice';
import { assertCents, prorate, type Cents } from './money';

/** A change of the member count on a day: +n added, −n removed. */
export interface MemberChange {
  on: Day;
  delta: number;
}

/** price × count × daysFrom(day, period.end) ÷ daysInPeriod, rounded once. */
export function prorateFrom(price: Cents, count: number, day: Day, period: Period): Cents {
  return prorate(price, count, daysLeft(day, period), periodDays(period));
}

/**
 * Unused value of the old period on an immediate change, as a negative line:
 * −(oldPrice × members × daysFrom(today, oldEnd) ÷ daysInOldPeriod), rounded once.
 */
export function unusedTimeLine(plan: Plan, oldPrice: Cents, members: number, today: Day, oldPeriod: Period): InvoiceLine {
  const amount = prorateFrom(oldPrice, members, today, oldPeriod);
  return { kind: 'unused_time', description: describeUnusedTime(plan, members, today, oldPeriod.end), amount: amount === 0 ? 0 : -amount };
}

export interface MemberChangeInput {
  plan: Plan;
  interval: Interval;
  /**
   * What the proration runs over: monthly billing, the billing period; annual
   * billing, the term (daysFrom(j, termEnd) ÷ daysInTerm).
   */
  period: Period;
  /** Changes in the review window, each on a day inside `period`; any order. */
  changes: readonly MemberChange[];
  /** Price per member per interval; by default the catalog's price on period.start. */
  price?: Cents;
  catalog?: Catalog;
  /** The percent off of the invoice that billed `period` (section 14): the refunds are reduced by it. */
  refundDiscount?: PeriodDiscount | null;
}

export interface MemberChangeResult {
  /** Lines for the invoice (positive). */
  charges: InvoiceLine[];
  /**
   * Refunds for the team balance (positive amounts), used first at the next payment; last, when the invoice that billed
   * the period had a percent off, one negative `discount` line taking it off their sum (section 14).
   */
  refunds: InvoiceLine[];
  chargeTotal: Cents;
  refundTotal: Cents;
}

interface Open {
  on: Day;
  /** Day number of `on`. */
  n: number;
  count: number;
}

/**
 * The lines for the member changes of one review window.
 * - Changes on the same day are netted first: adds and removes of one day
 *   cancel, and what remains makes one line (count × price × days ÷ daysInPeriod).
 * - A removal later in the window cancels the earliest still-open add (first
 *   in, first out), and an add cancels the earliest still-open removal: the
 *   pair is one line over the days in between.
 * - What is left is charged (adds) or refunded (removes) to the period's end.
 */
export function memberChangeLines(input: MemberChangeInput): MemberChangeResult {
  const { plan, period } = input;
  const price = input.price ?? memberPrice(plan, input.interval, period.start, input.catalog ?? defaultCatalog);
  const startN = dayNumber(period.start);
  const endN = dayNumber(period.end);
  const daysInPeriod = endN - startN;
  if (daysInPeriod <= 0) throw new RangeError(`empty period ${period.start} → ${period.end}`);

  // Day numbers once per change, then net per day (sorted, equal days merged).
  const dated: Open[] = [];
  for (const change of input.changes) {
    if (!Number.isSafeInteger(change.delta)) throw new RangeError(`member delta must be an integer, got ${change.delta}`);
    const n = dayNumber(change.on);
    if (n < startN || n >= endN) throw new RangeError(`${change.on} is outside the period ${period.start} → ${period.end}`);
    if (change.delta !== 0) dated.push({ on: change.on, n, count: change.delta });
  }
  dated.sort((a, b) => a.n - b.n);

  const charges: InvoiceLine[] = [];
  const refunds: InvoiceLine[] = [];
  const openAdds: Open[] = [];
  const openRemoves: Open[] = [];
  let chargeTotal = 0;
  let refundTotal = 0;

  for (let i = 0; i < dated.length; ) {
    const { on, n } = dated[i] as Open;
    let delta = 0;
    for (; i < dated.length && (dated[i] as Open).n === n; i++) delta += (dated[i] as Open).count;
    if (delta === 0) continue; // added and removed the same day: nothing
    const counter = delta > 0 ? openRemoves : openAdds;
    let left = Math.abs(delta);
    while (left > 0 && counter.length > 0) {
      const open = counter[0] as Open;
      const count = Math.min(left, open.count);
      const between = n - open.n;
      const amount = prorate(price, count, between, daysInPeriod); // count × price × (j2 − j1) ÷ daysInPeriod
      if (delta < 0) {
        charges.push({ kind: 'members_added_then_removed', description: describeMembersAddedThenRemoved(plan, count, open.on, on, between, daysInPeriod), amount });
        chargeTotal += amount;
      } else {
        refunds.push({ kind: 'members_removed_then_added', description: describeMembersRemovedThenAdded(plan, count, open.on, on, between, daysInPeriod), amount });
        refundTotal += amount;
      }
      open.count -= count;
      left -= count;
      if (open.count === 0) counter.shift();
    }
    if (left > 0) (delta > 0 ? openAdds : openRemoves).push({ on, n, count: left });
  }

  for (const open of openAdds) {
    const left = endN - open.n;
    const amount = prorate(price, open.count, left, daysInPeriod); // count × price × daysFrom(j, end) ÷ daysInPeriod
    charges.push({ kind: 'members_added', description: describeMembersAdded(plan, open.count, open.on, left, daysInPeriod), amount });
    chargeTotal += amount;
  }
  for (const open of openRemoves) {
    const left = endN - open.n;
    const amount = prorate(price, open.count, left, daysInPeriod);
    refunds.push({ kind: 'members_removed', description: describeMembersRemoved(plan, open.count, open.on, left, daysInPeriod), amount });
    refundTotal += amount;
  }
  // Section 14: refund R = Σ the lines above; the balance gets R − round(R × pct ÷ 100) (amount off: R).
  const discount = refundDiscountLine(input.refundDiscount ?? null, refundTotal);
  if (discount) {
    refunds.push(discount);
    refundTotal += discount.amount;
  }

  return { charges, refunds, chargeTotal: assertCents(chargeTotal), refundTotal: assertCents(refundTotal) };
}

/** Members on the last day, from the count at the window's start and its changes. */
export function membersAfter(startCount: number, changes: readonly MemberChange[]): number {
  let count = startCount;
  for (const change of changes) count += change.delta;
  if (count < 0) throw new RangeError(`member count would be negative: ${count}`);
  return count;
}
