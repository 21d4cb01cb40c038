// Invoice line descriptions a customer understands, e.g.
//   'Professional, monthly, 10 members, May 25 – Jun 25'
//   'Unused time on Basic, 10 members, May 25 – Jun 20'
//   'Basic, 1 member added May 25, 26/31 days'
// Years are shown only when a span crosses a year, so an annual term reads
// 'May 20, 2026 – May 20, 2027'.
import { dayParts, epochMs, instantFromEpochMs, isDay, type Day, type Interval, type Period } from './calendar';
import { PLAN_NAMES, type Plan } from './catalog';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DASH = ' \u2013 '; // en dash

/** 'May 25', or 'May 25, 2026' with the year. */
export function formatDay(day: Day, withYear = false): string {
  const [y, m, d] = dayParts(day);
  const text = `${MONTHS[m - 1] ?? '?'} ${d}`;
  return withYear ? `${text}, ${y}` : text;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A date as a person writes it in a letter: a day 'December 8, 2026'; a UTC instant 'December 8, 2026, 22:48 UTC'.
 * Anything else is returned as it is.
 */
export function spelledDate(value: string): string {
  if (isDay(value)) {
    const [y, m, d] = dayParts(value);
    return `${MONTH_NAMES[m - 1] ?? '?'} ${d}, ${y}`;
  }
  let ms: number;
  try {
    ms = epochMs(value);
  } catch {
    return value;
  }
  const instant = instantFromEpochMs(ms);
  return `${spelledDate(instant.slice(0, 10))}, ${instant.slice(11, 16)} UTC`;
}

/** 'May 25 – Jun 25'; 'Dec 20, 2026 – Jan 20, 2027' across a year. */
export function formatSpan(start: Day, end: Day): string {
  const withYear = start.slice(0, 4) !== end.slice(0, 4);
  return formatDay(start, withYear) + DASH + formatDay(end, withYear);
}

export function countText(count: number, unit: 'member' | 'seat'): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

export function intervalText(interval: Interval): string {
  return interval === 'month' ? 'monthly' : 'annual';
}

function fraction(days: number, daysInPeriod: number): string {
  return `${days}/${daysInPeriod} days`;
}

export function describePeriodCharge(plan: Plan, interval: Interval, members: number, period: Period): string {
  return `${PLAN_NAMES[plan]}, ${intervalText(interval)}, ${countText(members, 'member')}, ${formatSpan(period.start, period.end)}`;
}

export function describeUnusedTime(plan: Plan, members: number, from: Day, end: Day): string {
  return `Unused time on ${PLAN_NAMES[plan]}, ${countText(members, 'member')}, ${formatSpan(from, end)}`;
}

export function describeMembersAdded(plan: Plan, count: number, on: Day, days: number, daysInPeriod: number): string {
  return `${PLAN_NAMES[plan]}, ${countText(count, 'member')} added ${formatDay(on)}, ${fraction(days, daysInPeriod)}`;
}

export function describeMembersRemoved(plan: Plan, count: number, on: Day, days: number, daysInPeriod: number): string {
  return `${PLAN_NAMES[plan]}, ${countText(count, 'member')} removed ${formatDay(on)}, ${fraction(days, daysInPeriod)}`;
}

export function describeMembersAddedThenRemoved(
  plan: Plan,
  count: number,
  added: Day,
  removed: Day,
  days: number,
  daysInPeriod: number,
): string {
  return `${PLAN_NAMES[plan]}, ${countText(count, 'member')} added ${formatDay(added)} and removed ${formatDay(removed)}, ${fraction(days, daysInPeriod)}`;
}

export function describeMembersRemovedThenAdded(
  plan: Plan,
  count: number,
  removed: Day,
  added: Day,
  days: number,
  daysInPeriod: number,
): string {
  return `${PLAN_NAMES[plan]}, ${countText(count, 'member')} removed ${formatDay(removed)} and added back ${formatDay(added)}, ${fraction(days, daysInPeriod)}`;
}

export function describeSeatOrder(plan: Plan, seats: number, order: Period): string {
  return `${PLAN_NAMES[plan]}, seat order, ${countText(seats, 'seat')}, ${formatSpan(order.start, order.end)}`;
}

export function describeSeatsAdded(plan: Plan, count: number, on: Day, days: number, daysInOrder: number): string {
  return `${PLAN_NAMES[plan]}, ${countText(count, 'seat')} added ${formatDay(on)}, ${fraction(days, daysInOrder)}`;
}
