// Webhook endpoints, registered by the platform: a URL, the event types it wants, and a secret shown once.
import { randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../ledger/rows';
import { newId } from '../ledger/rows';

export interface WebhookEndpoint {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  alertEmail: string | null;
  status: 'active' | 'disabled';
  createdAt: string;
}

export interface NewWebhookEndpoint {
  url: string;
  /** Event types, or ['*'] for all of them. */
  eventTypes: string[];
  description?: string | undefined;
  /** Told by email when a delivery fails for good. */
  alertEmail?: string | undefined;
}

interface EndpointRow {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  alert_email: string | null;
  status: 'active' | 'disabled';
  created_at: Date;
}

const endpointOf = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id, url: row.url, eventTypes: row.event_types, description: row.description, alertEmail: row.alert_email,
  status: row.status, createdAt: new Date(row.created_at).toISOString(),
});

export function webhookEndpoints(db: DbOrTrx) {
  return {
    /** The only answer that carries the secret: it is not shown again. */
    async create(input: NewWebhookEndpoint): Promise<WebhookEndpoint & { secret: string }> {
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const [row] = (await db('webhook_endpoints')
        .insert({
          id: newId('we'), url: input.url, event_types: JSON.stringify(input.eventTypes), secret,
          description: input.description ?? null, alert_email: input.alertEmail ?? null,
        })
        .returning('*')) as EndpointRow[];
      return { ...endpointOf(row!), secret };
    },

    async list(): Promise<WebhookEndpoint[]> {
      return ((await db('webhook_endpoints').orderBy('created_at')) as EndpointRow[]).map(endpointOf);
    },

    async find(endpointId: string): Promise<WebhookEndpoint | null> {
      const row = (await db('webhook_endpoints').where({ id: endpointId }).first()) as EndpointRow | undefined;
      return row ? endpointOf(row) : null;
    },

    /** New events no longer go to it; its queued deliveries are closed as failed when their turn comes. */
    async disable(endpointId: string): Promise<WebhookEndpoint | null> {
      const [row] = (await db('webhook_endpoints').where({ id: endpointId }).update({ status: 'disabled' }).returning('*')) as EndpointRow[];
      return row ? endpointOf(row) : null;
    },
  };
}
