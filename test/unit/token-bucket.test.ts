import { countsPerSecond, mostBeyondTokenBucket, tokenBucketBound } from '../support/token-bucket';

// The bound the rate-limit test and the billing-day benchmark judge the charges queue's dispatches by: 4 partitions,
// each a burst of ⌈limit / 4⌉ and limit / 4 a second.
test('any n seconds hold at most 4 × ⌈limit / 4⌉ + limit × n', () => {
  expect(tokenBucketBound(5, 1)).toBe(4 * 2 + 5); // 13
  expect(tokenBucketBound(5, 2)).toBe(8 + 10); // 18
  expect(tokenBucketBound(100, 1)).toBe(4 * 25 + 100); // 200
  expect(tokenBucketBound(5, 1, 1)).toBe(5 + 5); // one partition: a burst of the limit
});

test('a run dispatched at the limit held; 30 in two seconds did not', () => {
  expect(mostBeyondTokenBucket([4, 7, 7, 5, 3, 2, 2], 5)).toBeLessThanOrEqual(0); // measured 2026-12-03
  expect(mostBeyondTokenBucket([12, 6], 5)).toBe(18 - 18); // 18 in two seconds: the bound itself
  expect(mostBeyondTokenBucket([20, 10], 5)).toBe(30 - 18); // unlimited: 12 beyond
  expect(mostBeyondTokenBucket([14], 5)).toBe(14 - 13);
});

test('counts per second from the first to the last, empty seconds as 0', () => {
  expect(countsPerSecond([100, 100, 102, 105])).toEqual([2, 0, 1, 0, 0, 1]);
  expect(countsPerSecond([])).toEqual([]);
});
