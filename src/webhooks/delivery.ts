// One HTTP attempt of one delivery, and the delivery's end. Every attempt is recorded under (delivery, attempt
// number): a retried activity finds its attempt recorded and answers with it instead of sending again.
import type { DbOrTrx } from '../ledger/rows';
import { webhookPayload, type WebhookEventRow } from '../ledger/outbox/webhook-events';
import { SIGNATURE_HEADER, signWebhookPayload } from './signature';

export interface WebhookHttpOptions {
  /** How long a receiver may take to answer; a slower one is a failed attempt (`timeout`). */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export interface AttemptResult {
  delivered: boolean;
  /** Set when there is nothing more to try: delivered or failed already, or the endpoint was disabled. */
  closed: 'delivered' | 'failed' | null;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

interface DeliveryToSend {
  status: 'pending' | 'delivered' | 'failed';
  url: string;
  secret: string;
  endpoint_status: 'active' | 'disabled';
  event: WebhookEventRow;
}

export async function attemptDelivery(db: DbOrTrx, http: WebhookHttpOptions, deliveryId: number, attempt: number): Promise<AttemptResult> {
  const recorded = (await db('webhook_attempts').where({ delivery_id: deliveryId, attempt }).first()) as
    | { succeeded: boolean; status_code: number | null; error: string | null; latency_ms: number }
    | undefined;
  if (recorded) {
    return { delivered: recorded.succeeded, closed: null, statusCode: recorded.status_code, error: recorded.error, latencyMs: recorded.latency_ms };
  }
  const delivery = await deliveryToSend(db, deliveryId);
  if (delivery.status !== 'pending') return { delivered: delivery.status === 'delivered', closed: delivery.status, statusCode: null, error: null, latencyMs: 0 };
  if (delivery.endpoint_status === 'disabled') {
    await closeDelivery(db, deliveryId, 'failed');
    return { delivered: false, closed: 'failed', statusCode: null, error: 'endpoint disabled', latencyMs: 0 };
  }
  const outcome = await post(delivery, deliveryId, attempt, http);
  const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  await db.transaction(async (trx) => {
    await trx('webhook_attempts')
      .insert({ delivery_id: deliveryId, attempt, succeeded: delivered, status_code: outcome.statusCode, error: outcome.error, latency_ms: outcome.latencyMs, at: new Date().toISOString() })
      .onConflict(['delivery_id', 'attempt'])
      .ignore();
    await trx('webhook_deliveries')
      .where({ id: deliveryId })
      .update({ attempts: trx.raw('greatest(attempts, ?)', [attempt]), last_status_code: outcome.statusCode });
    if (delivered) await closeDelivery(trx, deliveryId, 'delivered');
  });
  return { delivered, closed: null, ...outcome };
}

/** Only a pending delivery closes; closing it again is harmless. */
export async function closeDelivery(db: DbOrTrx, deliveryId: number, status: 'delivered' | 'failed'): Promise<void> {
  await db('webhook_deliveries')
    .where({ id: deliveryId, status: 'pending' })
    .update({ status, [status === 'delivered' ? 'delivered_at' : 'failed_at']: db.fn.now() });
}

async function deliveryToSend(db: DbOrTrx, deliveryId: number): Promise<DeliveryToSend> {
  const row = (await db('webhook_deliveries as d')
    .join('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .where('d.id', deliveryId)
    .first('d.status', 'd.event_id', 'e.url', 'e.secret', { endpoint_status: 'e.status' })) as (Omit<DeliveryToSend, 'event'> & { event_id: string }) | undefined;
  if (!row) throw new Error(`no webhook delivery ${deliveryId}`);
  const event = (await db('webhook_events').where({ id: row.event_id }).first()) as WebhookEventRow;
  return { ...row, event };
}

async function post(delivery: DeliveryToSend, deliveryId: number, attempt: number, http: WebhookHttpOptions) {
  const body = JSON.stringify(webhookPayload(delivery.event));
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(http.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'seatbill-webhooks/1',
        [SIGNATURE_HEADER]: signWebhookPayload(body, delivery.secret, Math.floor(Date.now() / 1000)),
        'seatbill-event-id': delivery.event.id,
        'seatbill-event-type': delivery.event.type,
        'seatbill-delivery-id': String(deliveryId),
        'seatbill-delivery-attempt': String(attempt),
      },
    });
    statusCode = response.status;
    await response.body?.cancel(); // the answer's body is not read: its status says it all
  } catch (failure) {
    const name = (failure as Error).name;
    error = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : `${(failure as Error).message}${(failure as { cause?: Error }).cause ? `: ${(failure as { cause: Error }).cause.message}` : ''}`;
  }
  return { statusCode, error, latencyMs: Math.round(performance.now() - started) };
}
