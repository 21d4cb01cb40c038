import fc from 'fast-check';
import {
  addDays,
  addMonths,
  dayFromNumber,
  dayNumber,
  dayOf,
  daysBetween,
  daysLeft,
  epochMs,
  instantFromEpochMs,
  isDay,
  nextPeriod,
  periodDays,
  periodEnd,
  periodFrom,
  termFrom,
  trialEnd,
  type Period,
} from '../../../src/domain';

describe('days', () => {
  test.each([
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['2026-05-20', 20593],
  ])('%s is day %i', (day, n) => {
    expect(dayNumber(day)).toBe(n);
    expect(dayFromNumber(n)).toBe(day);
  });

  test.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-5-1', '20260501', '', '2026-05-20T00:00:00Z'])(
    'rejects %p',
    (text) => {
      expect(isDay(text)).toBe(false);
      expect(() => dayNumber(text)).toThrow(RangeError);
    },
  );

  test('2028-02-29 exists, 2100-02-29 does not, 2000-02-29 does', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2100-02-29')).toBe(false);
    expect(isDay('2000-02-29')).toBe(true);
  });

  test.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-05-06', 14, '2026-05-20'],
  ])('%s + %i days = %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  test('property: day numbers round-trip and agree with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 2_900_000 }), (n) => {
        const day = dayFromNumber(n);
        expect(dayNumber(day)).toBe(n);
        expect(new Date(n * 86_400_000).toISOString().slice(0, 10)).toBe(day);
      }),
    );
  });

  test('trial end = start + 14 days, across a month and a year', () => {
    expect(trialEnd('2026-05-06')).toBe('2026-05-20');
    expect(trialEnd('2026-12-25')).toBe('2027-01-08');
    expect(trialEnd('2028-02-20')).toBe('2028-03-05');
  });
});

describe('anchored months: clamped to the month end, anchor kept', () => {
  test.each([
    // anchor 31: Jan 31 → Feb 28 → Mar 31 → Apr 30
    ['2026-01-31', 31, '2026-02-28'],
    ['2026-02-28', 31, '2026-03-31'],
    ['2026-03-31', 31, '2026-04-30'],
    ['2026-04-30', 31, '2026-05-31'],
    ['2028-01-31', 31, '2028-02-29'], // leap year
    // anchor 30
    ['2026-01-30', 30, '2026-02-28'],
    ['2026-02-28', 30, '2026-03-30'],
    ['2028-01-30', 30, '2028-02-29'],
    // anchor 29
    ['2026-01-29', 29, '2026-02-28'],
    ['2026-02-28', 29, '2026-03-29'],
    ['2028-01-29', 29, '2028-02-29'],
    ['2028-02-29', 29, '2028-03-29'],
    // year boundary
    ['2026-12-31', 31, '2027-01-31'],
    ['2026-12-20', 20, '2027-01-20'],
  ])('%s, anchor %i → %s', (start, anchor, end) => {
    expect(periodEnd(start, 'month', anchor)).toBe(end);
  });

  test('anchor 31 walks a year of clamped months without drifting', () => {
    let period: Period = periodFrom('2026-01-31', 'month');
    const ends = [period.end];
    for (let i = 0; i < 11; i++) {
      period = nextPeriod(period, 'month', 31);
      ends.push(period.end);
    }
    expect(ends).toEqual([
      '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31',
      '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31', '2027-01-31',
    ]);
  });

  test.each([
    ['2026-01-31', 31, 28], // February of a common year
    ['2028-01-31', 31, 29], // February of a leap year
    ['2026-02-28', 31, 31],
    ['2026-05-20', 20, 31],
    ['2026-06-20', 20, 30],
  ])('monthly period from %s (anchor %i) has %i days', (start, anchor, days) => {
    expect(periodDays(periodFrom(start, 'month', anchor))).toBe(days);
  });

  test('addMonths over negative months and years', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-01-15', 24)).toBe('2028-01-15');
  });
});

describe('terms: 12 anchored months, 365 or 366 days', () => {
  test.each([
    ['2026-05-20', '2027-05-20', 365],
    ['2027-05-20', '2028-05-20', 366], // contains 2028-02-29
    ['2027-03-01', '2028-03-01', 366],
    ['2028-03-01', '2029-03-01', 365],
    ['2028-02-29', '2029-02-28', 365], // anchor 29 clamped
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
  ])('term from %s ends %s (%i days)', (start, end, days) => {
    const term = termFrom(start);
    expect(term).toEqual({ start, end });
    expect(periodDays(term)).toBe(days);
  });

  test('term after a clamped Feb 29 returns to the 29th anchor', () => {
    const first = termFrom('2028-02-29');
    expect(nextPeriod(first, 'year', 29).end).toBe('2030-02-28');
    expect(periodFrom('2031-02-28', 'year', 29).end).toBe('2032-02-29');
  });
});

describe('day counts: the change day counts, the end day does not', () => {
  const period: Period = { start: '2026-05-20', end: '2026-06-20' };
  test.each([
    ['2026-05-20', 31], // first day of the period: the whole period
    ['2026-05-25', 26],
    ['2026-06-19', 1], // last day of the period: one day
  ])('from %s: %i days', (day, days) => {
    expect(daysLeft(day, period)).toBe(days);
  });
  test('the end day belongs to the next period', () => {
    expect(() => daysLeft('2026-06-20', period)).toThrow(RangeError);
    expect(() => daysLeft('2026-05-19', period)).toThrow(RangeError);
  });
  test('across a year boundary', () => {
    expect(daysBetween('2026-12-20', '2027-01-20')).toBe(31);
    expect(daysLeft('2026-12-31', { start: '2026-12-20', end: '2027-01-20' })).toBe(20);
  });
});

describe('instants', () => {
  test.each([
    ['2029-12-31T23:59:59Z', Date.UTC(2029, 11, 31, 23, 59, 59)],
    ['2030-01-01T00:00:00Z', Date.UTC(2030, 0, 1)],
    ['2030-01-01', Date.UTC(2030, 0, 1)],
    ['2026-05-06T10:30Z', Date.UTC(2026, 4, 6, 10, 30)],
    ['2026-05-06T10:30:00.5Z', Date.UTC(2026, 4, 6, 10, 30, 0, 500)],
  ])('%s', (text, ms) => {
    expect(epochMs(text)).toBe(ms);
  });
  test('round trip and day of an instant', () => {
    expect(instantFromEpochMs(Date.UTC(2029, 11, 31, 23, 59, 59))).toBe('2029-12-31T23:59:59Z');
    expect(instantFromEpochMs(Date.UTC(2026, 4, 6, 0, 0, 0, 7))).toBe('2026-05-06T00:00:00.007Z');
    expect(dayOf('2026-05-06T23:59:59Z')).toBe('2026-05-06');
  });
  test.each(['2026-05-06T10:30:00+02:00', '2026-05-06T24:00:00Z', '2026-05-06 10:30:00'])('rejects %p', (text) => {
    expect(() => epochMs(text)).toThrow(RangeError);
  });
});
