// One workflow per webhook delivery (ID `webhook-delivery:<deliveryId>`): a signed POST of one event to one
// endpoint, retried with exponential backoff (1 min, 2, 4 … capped at 12 h) for up to 3 days after the event was
// queued; every attempt is recorded. After the last one the delivery is failed and the platform told.
// Order: the relay only ever starts the oldest pending delivery of an endpoint, and each delivery, once it has
// ended (delivered or failed), starts the next one. So one delivery per endpoint is in flight, and events reach an
// endpoint in the order they were recorded. A receiver that keeps failing holds its own queue, no one else's.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BillingActivities } from '../activities';
import { ACTIVITY_RETRY } from './retry';

export interface WebhookDeliveryInput {
  deliveryId: number;
  endpointId: string;
  /** How long the delivery waited in its endpoint's queue before this workflow started: it counts against the 3 days. */
  queuedForMs: number;
}

export interface WebhookDeliveryOutcome {
  deliveryId: number;
  status: 'delivered' | 'failed';
  attempts: number;
}

export const WEBHOOK_RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/** The wait after the n-th failed attempt: 1 minute, doubling, at most 12 hours. */
export function webhookBackoffMs(failedAttempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, failedAttempts - 1), 12 * 60 * 60 * 1000);
}

const webhooks = proxyActivities<BillingActivities>({
  // The HTTP call has its own, shorter timeout; this one covers the ledger writes around it.
  startToCloseTimeout: '1 minute',
  // Only the engine's own failures (a database restart) are retried here; a receiver's 500 is an attempt's result.
  retry: ACTIVITY_RETRY,
});

export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookDeliveryOutcome> {
  const deadline = Date.now() + Math.max(0, WEBHOOK_RETRY_WINDOW_MS - input.queuedForMs);
  let attempts = 0;
  let status: WebhookDeliveryOutcome['status'];
  for (;;) {
    attempts += 1;
    const result = await webhooks.attemptWebhookDelivery({ deliveryId: input.deliveryId, attempt: attempts });
    if (result.delivered || result.closed) {
      status = result.delivered ? 'delivered' : (result.closed ?? 'failed');
      break;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      await webhooks.failWebhookDelivery({ deliveryId: input.deliveryId, attempts });
      status = 'failed';
      break;
    }
    // The last wait is cut short so the final attempt happens at the deadline itself.
    await sleep(Math.min(webhookBackoffMs(attempts), left));
  }
  await webhooks.startNextWebhookDelivery({ endpointId: input.endpointId });
  return { deliveryId: input.deliveryId, status, attempts };
}
