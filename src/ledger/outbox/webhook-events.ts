// The outbox: an event is written in the transaction of the ledger fact it describes, with one delivery per
// endpoint subscribed to its type. Either the fact, its event and its deliveries commit together, or none of them.
// The relay (./relay.ts) starts the delivery workflows after the commit.
import type { DbOrTrx } from '../rows';
import { newId } from '../rows';
import { WEBHOOK_API_VERSION, type WebhookEventType, type WebhookPayload } from './event-types';

/** The key of an event's first delivery to an endpoint (a redelivery's key adds to it). */
export const firstDeliveryKey = (eventId: string, endpointId: string) => `${eventId}:${endpointId}`;

export interface NewWebhookEvent {
  /** Business facts, e.g. `team-1:renewal:2026-06-20:invoice.created`: the same key is the same event. */
  key: string;
  type: WebhookEventType;
  teamId?: string | null;
  organizationId?: string | null;
  /** When the fact happened (the workflow's business time). */
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface WebhookEventRow {
  id: string;
  idempotency_key: string;
  type: WebhookEventType;
  api_version: string;
  team_id: string | null;
  organization_id: string | null;
  occurred_at: Date;
  data: Record<string, unknown>;
  created_at: Date;
}

/** Records the event once; returns how many deliveries it queued (0 when the key was recorded already). */
export async function recordWebhookEvent(trx: DbOrTrx, event: NewWebhookEvent): Promise<number> {
  const [row] = (await trx('webhook_events')
    .insert({
      id: newId('evt'),
      idempotency_key: event.key,
      type: event.type,
      api_version: WEBHOOK_API_VERSION,
      team_id: event.teamId ?? null,
      organization_id: event.organizationId ?? null,
      occurred_at: event.occurredAt,
      data: JSON.stringify(event.data),
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id')) as { id: string }[];
  if (!row) return 0;
  const endpoints = (await trx('webhook_endpoints').where({ status: 'active' }).select('id', 'event_types')) as { id: string; event_types: string[] }[];
  const subscribed = endpoints.filter((endpoint) => endpoint.event_types.includes('*') || endpoint.event_types.includes(event.type));
  if (subscribed.length === 0) return 0;
  await trx('webhook_deliveries').insert(
    subscribed.map((endpoint) => ({ endpoint_id: endpoint.id, event_id: row.id, idempotency_key: firstDeliveryKey(row.id, endpoint.id) })),
  );
  return subscribed.length;
}

/** The body sent to receivers, built the same way for every attempt. */
export function webhookPayload(row: WebhookEventRow): WebhookPayload {
  return {
    id: row.id,
    type: row.type,
    apiVersion: row.api_version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    teamId: row.team_id,
    organizationId: row.organization_id,
    data: row.data,
  };
}
