// Charges at the payment provider go through a task queue of their own, beside the team workflow's: the Temporal
// server dispatches its activities at most PAYMENT_PROVIDER_MAX_RPS a second whichever worker polls it (the limit is
// the queue's, not a worker's), so N workers together stay under the provider's rate limit (Stripe: 100 requests a
// second live, 25 in test mode). Pure: the workflow names the queue, the worker (src/worker.ts) polls it.

const CHARGES_SUFFIX = '-charges';

/** `billing` → `billing-charges`: the charges task queue of a team workflow's task queue. */
export function chargesTaskQueue(taskQueue: string): string {
  return `${taskQueue}${CHARGES_SUFFIX}`;
}

/**
 * `billing-charges` → `billing`: the billing task queue an activity's queue belongs to. What a collection starts (the
 * receipt's documentEmails, webhook deliveries) runs there: no workflow is registered on the charges queue.
 */
export function billingTaskQueue(activityTaskQueue: string): string {
  return activityTaskQueue.endsWith(CHARGES_SUFFIX) ? activityTaskQueue.slice(0, -CHARGES_SUFFIX.length) : activityTaskQueue;
}
