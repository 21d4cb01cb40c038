import { Context } from '@temporalio/activity';
import { sendOnce } from '../email/send';
import { renderEmail } from '../email/templates';
import { attemptDelivery, closeDelivery, DEFAULT_WEBHOOK_TIMEOUT_MS, type AttemptResult } from '../webhooks/delivery';
import { relayFromActivity } from './relay';
import type { BillingDependencies } from './dependencies';
import { lazyEmailSettings } from './emails';

export function webhookActivities(deps: BillingDependencies) {
  const { db } = deps;
  const http = { timeoutMs: deps.webhooks?.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS };
  const email = lazyEmailSettings(deps);
  return {
    /** One signed POST of the delivery's event; a 2xx delivers it. Recorded once per (delivery, attempt). */
    attemptWebhookDelivery(input: { deliveryId: number; attempt: number }): Promise<AttemptResult> {
      return attemptDelivery(db, http, input.deliveryId, input.attempt);
    },

    /** After the last attempt: the delivery is failed, and the platform told (log, and the endpoint's alert email). */
    async failWebhookDelivery(input: { deliveryId: number; attempts: number }): Promise<void> {
      await closeDelivery(db, input.deliveryId, 'failed');
      const row = (await db('webhook_deliveries as d')
        .join('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .join('webhook_events as v', 'v.id', 'd.event_id')
        .where('d.id', input.deliveryId)
        .first('e.url', 'e.alert_email', 'v.id as event_id', 'v.type', 'd.last_status_code')) as
        | { url: string; alert_email: string | null; event_id: string; type: string; last_status_code: number | null }
        | undefined;
      if (!row) return;
      const facts = { deliveryId: input.deliveryId, eventId: row.event_id, eventType: row.type, url: row.url, attempts: input.attempts };
      logger().error(facts, 'webhook delivery failed after its last attempt');
      if (!row.alert_email) return;
      const lastOutcome = row.last_status_code === null ? 'no answer (timeout or connection error)' : `HTTP ${row.last_status_code}`;
      const content = renderEmail('webhook_delivery_failed', { on: new Date().toISOString().slice(0, 10), scopeName: 'seatbill', payload: { ...facts, lastOutcome } });
      await sendOnce(db, email().mailer, { key: `webhook-delivery:${input.deliveryId}:failed:${row.alert_email}`, to: row.alert_email, template: 'webhook_delivery_failed', content });
    },

    /** Hands the endpoint's queue to its next delivery, now that this one has ended. */
    startNextWebhookDelivery(input: { endpointId: string }): Promise<void> {
      return relayFromActivity(db, { endpointId: input.endpointId });
    },
  };
}

function logger(): { error(fields: Record<string, unknown>, message: string): void } {
  try {
    const log = Context.current().log;
    return { error: (fields, message) => log.error(message, fields) };
  } catch {
    return { error: (fields, message) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`) };
  }
}
