import fc from 'fast-check';
import { assertCents, divideRounded, formatUsd, multiply, prorate, sumCents } from '../../../src/domain';

describe('divideRounded: half away from zero, once', () => {
  test.each([
    [5, 2, 3],
    [-5, 2, -3],
    [7, 2, 4],
    [4, 3, 1],
    [5, 3, 2],
    [-4, 3, -1],
    [-5, 3, -2],
    [0, 7, 0],
    [312000, 31, 10065], // 10064.516…
    [38_880_000, 365, 106521], // 106520.547…
    [5_929_200, 365, 16244], // 16244.383…
    [365 * 1000 + 182, 365, 1000], // just under half
    [365 * 1000 + 183, 365, 1001], // just over half
    [2 * 1000 + 1, 2, 1001], // exactly half rounds up
    [-(2 * 1000 + 1), 2, -1001], // exactly half rounds away from zero
  ])('%i ÷ %i = %i', (n, d, expected) => {
    expect(divideRounded(n, d)).toBe(expected);
  });

  test('near the safe-integer limit the remainder stays exact', () => {
    const d = 366;
    const q = Math.floor(Number.MAX_SAFE_INTEGER / d) - 1;
    expect(divideRounded(q * d + 183, d)).toBe(q + 1);
    expect(divideRounded(q * d + 182, d)).toBe(q);
    expect(divideRounded(-(q * d + 183), d)).toBe(-(q + 1));
  });

  test('rejects non-integers and non-positive denominators', () => {
    expect(() => divideRounded(1.5, 2)).toThrow(RangeError);
    expect(() => divideRounded(1, 0)).toThrow(RangeError);
    expect(() => divideRounded(1, -3)).toThrow(RangeError);
  });

  test('property: equals exact BigInt rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 400 }), (n, d) => {
        const big = BigInt(Math.abs(n));
        const D = BigInt(d);
        let q = big / D;
        if (2n * (big % D) >= D) q += 1n;
        expect(divideRounded(n, d)).toBe(Number(n < 0 ? -q : q));
      }),
    );
  });
});

describe('prorate: price × count × days ÷ daysInPeriod', () => {
  test.each([
    ['M1 one member, 26 of 31 days', 1200, 1, 26, 31, 1006],
    ['U1 unused, 10 members, 26 of 31 days', 1200, 10, 26, 31, 10065],
    ['A1 annual, 360 of 365 days', 10800, 1, 360, 365, 10652],
    ['U2 unused annual, 10 members', 10800, 10, 360, 365, 106521],
    ['O1 3 seats, 183 of 365 days', 10800, 3, 183, 365, 16244],
    ['whole period', 2400, 7, 31, 31, 16800],
    ['no day', 2400, 7, 0, 31, 0],
    ['leap term, 1 of 366 days', 21600, 1, 1, 366, 59],
  ])('%s', (_name, price, count, days, daysInPeriod, expected) => {
    expect(prorate(price, count, days, daysInPeriod)).toBe(expected);
  });

  test('huge products go through BigInt and stay exact', () => {
    expect(prorate(9_000_000_000, 1_000_000, 183, 366)).toBe(4_500_000_000_000_000);
  });

  test('rejects days outside the period and fractional inputs', () => {
    expect(() => prorate(1200, 1, 32, 31)).toThrow(RangeError);
    expect(() => prorate(1200, 1, -1, 31)).toThrow(RangeError);
    expect(() => prorate(12.5, 1, 1, 31)).toThrow(RangeError);
    expect(() => prorate(1200, 1.5, 1, 31)).toThrow(RangeError);
  });

  test('property: a proration lies between 0 and the full price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 366 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }))),
        (price, count, [daysInPeriod, days]) => {
          const amount = prorate(price, count, days, daysInPeriod);
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
          expect(amount).toBeLessThanOrEqual(price * count);
        },
      ),
    );
  });

  test('property: more days never cost less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 365 }), (price, days) => {
        expect(prorate(price, 1, days, 366)).toBeGreaterThanOrEqual(prorate(price, 1, days - 1, 366));
      }),
    );
  });
});

describe('cents helpers', () => {
  test('assertCents rejects floats and unsafe integers', () => {
    expect(assertCents(12)).toBe(12);
    expect(() => assertCents(0.1 + 0.2)).toThrow(RangeError);
    expect(() => assertCents(2 ** 53)).toThrow(RangeError);
    expect(() => assertCents(Number.NaN)).toThrow(RangeError);
  });
  test('multiply and sumCents stay exact', () => {
    expect(multiply(1200, 11)).toBe(13200);
    expect(sumCents([13200, 1006])).toBe(14206);
    expect(sumCents([])).toBe(0);
    expect(() => multiply(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
  });
  test.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [14206, '$142.06'],
    [-10065, '-$100.65'],
    [123456789, '$1,234,567.89'],
  ])('formatUsd(%i) = %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });
});
