// Money is an integer number of US cents. No floating point reaches an amount:
// a proration is computed as an integer numerator and divided once, with the
// remainder deciding the rounding (half away from zero).

/** An amount in US cents; always a safe integer. */
export type Cents = number;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws unless `value` is a safe integer number of cents. */
export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be a safe integer number of cents, got ${String(value)}`);
  }
  return value;
}

// Above this a numerator is divided with BigInt so the remainder stays exact.
const EXACT_LIMIT = 2 ** 52;

/**
 * numerator ÷ denominator, rounded to an integer half away from zero.
 * Both are integers; the denominator is positive. This is the engine's only
 * rounding: every prorated line goes through it exactly once.
 */
export function divideRounded(numerator: number, denominator: number): Cents {
  if (!Number.isSafeInteger(numerator)) throw new RangeError(`numerator must be a safe integer, got ${numerator}`);
  if (!Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`denominator must be a positive safe integer, got ${denominator}`);
  }
  const negative = numerator < 0;
  const n = negative ? -numerator : numerator;
  if (n > EXACT_LIMIT) return divideRoundedBig(numerator, denominator);
  // The float quotient only seeds q; the integer remainder corrects it.
  let q = Math.floor(n / denominator);
  let r = n - q * denominator;
  if (r < 0) {
    q -= 1;
    r += denominator;
  } else if (r >= denominator) {
    q += 1;
    r -= denominator;
  }
  if (2 * r >= denominator) q += 1; // half (or more) rounds away from zero
  return negative && q !== 0 ? -q : q; // never -0
}

function divideRoundedBig(numerator: number | bigint, denominator: number): Cents {
  const big = BigInt(numerator);
  const negative = big < 0n;
  const n = negative ? -big : big;
  const d = BigInt(denominator);
  let q = n / d;
  if (2n * (n % d) >= d) q += 1n; // half (or more) rounds away from zero
  return assertCents(Number(negative ? -q : q), 'rounded amount');
}

/**
 * The prorated amount of `count` units at `price` for `days` of a period of
 * `daysInPeriod` days: price × count × days ÷ daysInPeriod, rounded once,
 * half away from zero.
 */
export function prorate(price: Cents, count: number, days: number, daysInPeriod: number): Cents {
  assertCents(price, 'price');
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isSafeInteger(daysInPeriod) || daysInPeriod <= 0) {
    throw new RangeError(`daysInPeriod must be a positive integer, got ${daysInPeriod}`);
  }
  if (!Number.isSafeInteger(days) || days < 0 || days > daysInPeriod) {
    throw new RangeError(`days must be an integer in [0, ${daysInPeriod}], got ${days}`);
  }
  const numerator = price * count * days;
  if (!Number.isSafeInteger(numerator)) {
    return divideRoundedBig(BigInt(price) * BigInt(count) * BigInt(days), daysInPeriod); // exact product
  }
  return divideRounded(numerator, daysInPeriod);
}

/** Basis points in a whole: 10000 bp = 100%. */
export const BASIS_POINTS = 10_000;

/**
 * `basisPoints` of `amount` (1900 bp = 19%): amount × basisPoints ÷ 10000, rounded once, half away from zero.
 * A tax line goes through it once per document (section 13); a negative amount gives the mirror image.
 */
export function basisPointsOf(amount: Cents, basisPoints: number): Cents {
  assertCents(amount, 'amount');
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) throw new RangeError(`basisPoints must be a non-negative integer, got ${basisPoints}`);
  const numerator = amount * basisPoints;
  if (!Number.isSafeInteger(numerator)) return divideRoundedBig(BigInt(amount) * BigInt(basisPoints), BASIS_POINTS); // exact product
  return divideRounded(numerator, BASIS_POINTS);
}

/** price × count, checked to stay a safe integer. */
export function multiply(price: Cents, count: number): Cents {
  assertCents(price, 'price');
  if (!Number.isSafeInteger(count)) throw new RangeError(`count must be an integer, got ${count}`);
  return assertCents(price * count, 'amount');
}

/** Sum of already-rounded amounts; never rounded again. */
export function sumCents(amounts: readonly Cents[]): Cents {
  let total = 0;
  for (const amount of amounts) total += amount;
  return assertCents(total, 'total');
}

/** `$1,234.56`, `-$10.65`: for messages, never for arithmetic. */
export function formatUsd(amount: Cents): string {
  assertCents(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}$${dollars}.${cents}`;
}
