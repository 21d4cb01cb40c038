// Charges at the payment provider go through a task queue of their own, beside the team workflow's: the Temporal
// server dispatches its activities at most PAYMENT_PROVIDER_MAX_RPS a second whichever worker polls it (the limit is
// the queue's, not a worker's), so N workers together stay under the provider's rate limit (Stripe: 100 requests a
// second live, 25 in test mode). Pure: the workflow names the queue, the worker (src/worker.ts) polls it.

/** `billing` → `billing-charges`: the charges task queue of a team workflow's task queue. */
export function chargesTaskQueue(taskQueue: string): string {
  return `${taskQueue}-charges`;
}
