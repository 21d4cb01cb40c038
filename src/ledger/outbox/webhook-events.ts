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

/**
 * Records the event once, with one delivery per active endpoint subscribed to its type (or to `*`), in one statement:
 * a fact's events are written on every money move, so each costs one round trip, not three. Returns how many
 * deliveries it queued (0 when the key was recorded already). A delivery's key is firstDeliveryKey(event, endpoint).
 */
export function recordWebhookEvent(trx: DbOrTrx, event: NewWebhookEvent): Promise<number> {
  return recordWebhookEvents(trx, [event]);
}

/** Several events of one fact, as recordWebhookEvent does each, in one statement; deliveries queued in the events' order. */
export async function recordWebhookEvents(trx: DbOrTrx, events: readonly NewWebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const values = events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?::jsonb)').join(', ');
  const bindings = events.flatMap((event) => [
    newId('evt'), event.key, event.type, WEBHOOK_API_VERSION, event.teamId ?? null, event.organizationId ?? null, event.occurredAt, JSON.stringify(event.data),
  ]);
  const { rows } = (await trx.raw(
    `WITH event AS (
       INSERT INTO webhook_events (id, idempotency_key, type, api_version, team_id, organization_id, occurred_at, data)
       VALUES ${values}
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, idempotency_key, type
     ), deliveries AS (
       INSERT INTO webhook_deliveries (endpoint_id, event_id, idempotency_key)
       SELECT endpoint.id, event.id, event.id || ':' || endpoint.id
       FROM event CROSS JOIN webhook_endpoints endpoint
       WHERE endpoint.status = 'active' AND (endpoint.event_types @> '["*"]'::jsonb OR endpoint.event_types @> jsonb_build_array(event.type::text))
       ORDER BY array_position(ARRAY[${events.map(() => '?').join(', ')}]::text[], event.idempotency_key), endpoint.id
       RETURNING 1
     )
     SELECT count(*)::int AS queued FROM deliveries`,
    [...bindings, ...events.map((event) => event.key)],
  )) as { rows: { queued: number }[] };
  return rows[0]?.queued ?? 0;
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
