// The events the engine tells the platform about. Each is a versioned JSON payload with an ID:
//   { id, type, apiVersion, occurredAt, teamId, organizationId, data }
// `apiVersion` changes only when a payload changes incompatibly, so receivers can branch on it.
export const WEBHOOK_API_VERSION = '2026-11-22';

export const WEBHOOK_EVENT_TYPES = [
  'subscription.trial_started',
  'subscription.activated',
  'subscription.changed',
  'subscription.change_scheduled',
  'subscription.past_due',
  'subscription.downgraded_to_free',
  'team.restricted',
  'team.unrestricted',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'credit_note.created',
  'seat_order.expiring',
  'price.change_scheduled',
  'coupon.redeemed',
  'price.published',
  'credits.low_balance',
  'billing_manager.invited',
  'billing_manager.invitation_expired',
  'billing_manager.accepted',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body of every webhook, exactly as signed and sent. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  apiVersion: string;
  /** When the fact happened, on the engine's business clock. */
  occurredAt: string;
  teamId: string | null;
  organizationId: string | null;
  data: Record<string, unknown>;
}

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
