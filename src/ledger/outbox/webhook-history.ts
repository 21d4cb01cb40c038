// What the API shows of webhooks: events, their deliveries and every attempt; and a redelivery on demand.
import type { DbOrTrx } from '../rows';
import { firstDeliveryKey, webhookPayload, type WebhookEventRow } from './webhook-events';

const deliveryColumns = {
  id: 'id', endpointId: 'endpoint_id', eventId: 'event_id', status: 'status', attempts: 'attempts',
  lastStatusCode: 'last_status_code', deliveredAt: 'delivered_at', failedAt: 'failed_at', createdAt: 'created_at',
};
const attemptColumns = { deliveryId: 'delivery_id', attempt: 'attempt', succeeded: 'succeeded', statusCode: 'status_code', error: 'error', latencyMs: 'latency_ms', at: 'at' };

export function webhookHistory(db: DbOrTrx) {
  /** Deliveries, each with its attempts in order. */
  async function withAttempts(deliveries: { id: number }[]) {
    const attempts = (await db('webhook_attempts').whereIn('delivery_id', deliveries.map((d) => d.id)).orderBy(['delivery_id', 'attempt']).select(attemptColumns)) as {
      deliveryId: number;
    }[];
    return deliveries.map((delivery) => ({ ...delivery, attemptLog: attempts.filter((a) => a.deliveryId === delivery.id).map(({ deliveryId: _, ...a }) => a) }));
  }

  return {
    async events(filter: { teamId?: string | undefined; type?: string | undefined; limit: number }) {
      const rows = (await db('webhook_events')
        .modify((q) => {
          if (filter.teamId) q.where({ team_id: filter.teamId });
          if (filter.type) q.where({ type: filter.type });
        })
        .orderBy('seq', 'desc')
        .limit(filter.limit)) as WebhookEventRow[];
      return rows.map(webhookPayload);
    },

    async event(eventId: string) {
      const row = (await db('webhook_events').where({ id: eventId }).first()) as WebhookEventRow | undefined;
      if (!row) return null;
      const deliveries = (await db('webhook_deliveries').where({ event_id: eventId }).orderBy('id').select(deliveryColumns)) as { id: number }[];
      return { event: webhookPayload(row), deliveries: await withAttempts(deliveries) };
    },

    async deliveries(endpointId: string, filter: { status?: string | undefined; limit: number }) {
      const rows = (await db('webhook_deliveries')
        .where({ endpoint_id: endpointId, ...(filter.status ? { status: filter.status } : {}) })
        .orderBy('id', 'desc')
        .limit(filter.limit)
        .select(deliveryColumns)) as { id: number }[];
      return withAttempts(rows);
    },

    /**
     * Sends an event to an endpoint again, as a new delivery at the end of the endpoint's queue (so the queue stays
     * in order). Keyed by the caller's Idempotency-Key: the same request twice queues one delivery.
     */
    async redeliver(endpointId: string, eventId: string, requestKey: string): Promise<{ deliveryId: number } | null> {
      const event = await db('webhook_events').where({ id: eventId }).first('id');
      if (!event) return null;
      const key = `${firstDeliveryKey(eventId, endpointId)}:redelivery:${requestKey}`;
      await db('webhook_deliveries').insert({ endpoint_id: endpointId, event_id: eventId, idempotency_key: key }).onConflict('idempotency_key').ignore();
      const row = (await db('webhook_deliveries').where({ idempotency_key: key }).first('id')) as { id: number };
      return { deliveryId: row.id };
    },
  };
}
