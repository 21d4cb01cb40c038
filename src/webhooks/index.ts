// Signed outbound webhooks (issue 12): the event catalogue, the signature a receiver verifies, and the outbox.
export { WEBHOOK_API_VERSION, WEBHOOK_EVENT_TYPES, isWebhookEventType, type WebhookEventType, type WebhookPayload } from '../ledger/outbox/event-types';
export { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, signWebhookPayload, verifyWebhookSignature, type SignatureCheck, type VerifyWebhookSignatureInput } from './signature';
export { webhookEndpoints, type NewWebhookEndpoint, type WebhookEndpoint } from './endpoints';
export { webhookHistory } from '../ledger/outbox/webhook-history';
