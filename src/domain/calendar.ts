// UTC calendar days as ISO strings ('YYYY-MM-DD'), so every value stays plain
// JSON across continue-as-new. Arithmetic runs on day numbers (days since
// 1970-01-01) with the civil-calendar algorithms of H. Hinnant: no Date, no
// clock, no time zone.

/** A UTC calendar day, 'YYYY-MM-DD'. */
export type Day = string;
/** A UTC instant, 'YYYY-MM-DDTHH:MM:SS[.sss]Z'. */
export type Instant = string;
/** A day (read as its 00:00:00Z) or an instant. */
export type Moment = Day | Instant;

export type Interval = 'month' | 'year';

/** A billing period, order or term: [start, end) in calendar days. */
export interface Period {
  start: Day;
  end: Day;
}

export const MS_PER_DAY = 86_400_000;
export const TRIAL_DAYS = 14;
export const MONTHS_PER_TERM = 12;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  const days = DAYS_IN_MONTH[month - 1];
  if (days === undefined) throw new RangeError(`month must be 1–12, got ${month}`);
  return days;
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

/** [year, month, day] of a valid Day; throws on anything else. */
export function dayParts(day: Day): [number, number, number] {
  if (typeof day !== 'string' || day.length !== 10 || day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45) {
    throw new RangeError(`not a calendar day 'YYYY-MM-DD': ${String(day)}`);
  }
  const y = digit(day, 0) * 1000 + digit(day, 1) * 100 + digit(day, 2) * 10 + digit(day, 3);
  const m = digit(day, 5) * 10 + digit(day, 6);
  const d = digit(day, 8) * 10 + digit(day, 9);
  if (!(m >= 1 && m <= 12) || !(d >= 1 && d <= daysInMonth(y, m))) {
    throw new RangeError(`not a calendar day 'YYYY-MM-DD': ${day}`);
  }
  return [y, m, d];
}

export function isDay(value: unknown): value is Day {
  if (typeof value !== 'string') return false;
  try {
    dayParts(value);
    return true;
  } catch {
    return false;
  }
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function pad(n: number, width: number): string {
  return n.toString().padStart(width, '0');
}

/** Days since 1970-01-01. */
export function dayNumber(day: Day): number {
  const [y, m, d] = dayParts(day);
  return daysFromCivil(y, m, d);
}

export function dayFromParts(year: number, month: number, day: number): Day {
  if (!(year >= 0 && year <= 9999) || !(month >= 1 && month <= 12) || !(day >= 1 && day <= daysInMonth(year, month))) {
    throw new RangeError(`no such day: ${year}-${month}-${day}`);
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The Day of a day number (days since 1970-01-01). */
export function dayFromNumber(n: number): Day {
  if (!Number.isSafeInteger(n)) throw new RangeError(`day number must be an integer, got ${n}`);
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return dayFromParts(y, m, d);
}

export function addDays(day: Day, days: number): Day {
  return dayFromNumber(dayNumber(day) + days);
}

/** to − from, in days. A change on `from` counts its own day, and `to` (a period end) is excluded. */
export function daysBetween(from: Day, to: Day): number {
  return dayNumber(to) - dayNumber(from);
}

export function compareDays(a: Day, b: Day): number {
  return a < b ? -1 : a > b ? 1 : 0; // ISO days sort as strings
}

export function dayOfMonth(day: Day): number {
  return dayParts(day)[2];
}

/**
 * `months` months after `day`, on the anchor day of month, clamped to the
 * month's last day: anchor 31 gives Jan 31 → Feb 28 → Mar 31 → Apr 30. The
 * anchor is passed separately because a clamped day (Feb 28) has lost it.
 */
export function addMonths(day: Day, months: number, anchorDay: number = dayOfMonth(day)): Day {
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31) throw new RangeError(`anchor day must be 1–31, got ${anchorDay}`);
  const [y, m] = dayParts(day);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return dayFromParts(year, month, Math.min(anchorDay, daysInMonth(year, month)));
}

export function monthsIn(interval: Interval): number {
  return interval === 'month' ? 1 : MONTHS_PER_TERM;
}

/** End of the period that starts on `start`: one month, or a 12-month term, on the anchor. */
export function periodEnd(start: Day, interval: Interval, anchorDay: number = dayOfMonth(start)): Day {
  return addMonths(start, monthsIn(interval), anchorDay);
}

/** The period starting on `start`; the anchor defaults to `start`'s day of month. */
export function periodFrom(start: Day, interval: Interval, anchorDay: number = dayOfMonth(start)): Period {
  return { start, end: periodEnd(start, interval, anchorDay) };
}

/** The period that follows `period` (renewal), keeping the anchor. */
export function nextPeriod(period: Period, interval: Interval, anchorDay: number): Period {
  return periodFrom(period.end, interval, anchorDay);
}

/** A 12-anchored-month term from `start`: 365 or 366 days. */
export function termFrom(start: Day, anchorDay: number = dayOfMonth(start)): Period {
  return periodFrom(start, 'year', anchorDay);
}

/** end − start, in days. */
export function periodDays(period: Period): number {
  const days = daysBetween(period.start, period.end);
  if (days <= 0) throw new RangeError(`empty period ${period.start} → ${period.end}`);
  return days;
}

/** Days from `day` (counted) to the period's end (excluded). */
export function daysLeft(day: Day, period: Period): number {
  assertInPeriod(day, period);
  return daysBetween(day, period.end);
}

export function isInPeriod(day: Day, period: Period): boolean {
  return day >= period.start && day < period.end;
}

export function assertInPeriod(day: Day, period: Period): void {
  dayParts(day);
  if (!isInPeriod(day, period)) throw new RangeError(`${day} is outside the period ${period.start} → ${period.end}`);
}

/** Trial end = start + 14 days; the first paid period starts (and is anchored) there. */
export function trialEnd(start: Day): Day {
  return addDays(start, TRIAL_DAYS);
}

/** 'YYYY-MM' of a day. */
export function monthOf(day: Day): string {
  return day.slice(0, 7);
}

// ---- instants ---------------------------------------------------------------

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?$/;

/** Milliseconds since 1970-01-01T00:00:00Z of a Day (its midnight) or a UTC instant. */
export function epochMs(moment: Moment): number {
  const match = INSTANT.exec(moment);
  if (!match) throw new RangeError(`not a UTC day or instant: ${String(moment)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
  const days = dayNumber(`${y}-${mo}-${d}`);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s);
  if (hours > 23 || minutes > 59 || seconds > 59) throw new RangeError(`not a UTC instant: ${moment}`);
  return days * MS_PER_DAY + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + Number(ms.padEnd(3, '0'));
}

/** 'YYYY-MM-DDTHH:MM:SSZ' (with '.sss' only when there are milliseconds). */
export function instantFromEpochMs(ms: number): Instant {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`epoch ms must be an integer, got ${ms}`);
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const fraction = milli === 0 ? '' : `.${pad(milli, 3)}`;
  return `${dayFromNumber(days)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${fraction}Z`;
}

/** The UTC day an instant falls on. */
export function dayOf(moment: Moment): Day {
  return dayFromNumber(Math.floor(epochMs(moment) / MS_PER_DAY));
}
