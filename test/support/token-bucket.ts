// What the charges task queue's limit promises (PAYMENT_PROVIDER_MAX_RPS, src/worker.ts). The Temporal server splits a
// task queue into read partitions (matching.numTaskqueueReadPartitions, 4 by default) and each dispatches at
// limit / P a second with a burst of ⌈limit / P⌉ (its matching service's rate limit manager), so any n consecutive
// seconds hold at most P × ⌈limit / P⌉ + limit × n: for a limit of 5, 8 + 5n; of 100, 100 + 100n. A server with
// fewer partitions keeps within it too (P × ⌈limit / P⌉ only grows with P). The rate-limit test and the
// billing-day benchmark judge the server's dispatches of the charges queue by it (charges-dispatch.ts).

/** Temporal's default read partitions of a task queue, which the dev server keeps. */
export const TASK_QUEUE_PARTITIONS = 4;

/** The most dispatches any n consecutive whole seconds can hold: every partition's burst, then the limit a second. */
export function tokenBucketBound(limit: number, seconds: number, partitions = TASK_QUEUE_PARTITIONS): number {
  return partitions * Math.ceil(limit / partitions) + limit * seconds;
}

/** Counts per second from the first second to the last (empty seconds as 0), from each event's epoch second. */
export function countsPerSecond(epochSeconds: number[]): number[] {
  if (epochSeconds.length === 0) return [];
  const first = Math.min(...epochSeconds);
  const counts = new Array<number>(Math.max(...epochSeconds) - first + 1).fill(0);
  for (const second of epochSeconds) counts[second - first]! += 1;
  return counts;
}

/** The most any run of consecutive seconds held beyond tokenBucketBound. ≤ 0: the limit held. */
export function mostBeyondTokenBucket(perSecond: number[], limit: number): number {
  let most = -Infinity;
  for (let from = 0; from < perSecond.length; from++) {
    let sum = 0;
    for (let to = from; to < perSecond.length; to++) {
      sum += perSecond[to]!;
      most = Math.max(most, sum - tokenBucketBound(limit, to - from + 1));
    }
  }
  return most;
}
