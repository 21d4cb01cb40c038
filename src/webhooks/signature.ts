// Webhook signatures: HMAC-SHA256 with the endpoint's secret over `<timestamp>.<raw body>`, sent as
//   Seatbill-Signature: t=<unix seconds>,v1=<hex digest>
// The timestamp is signed too, so a captured request cannot be replayed later than the tolerance (5 minutes).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'seatbill-signature';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function signWebhookPayload(body: string, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${digest(body, secret, timestampSeconds)}`;
}

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'too_old' | 'mismatch' };

export interface VerifyWebhookSignatureInput {
  /** The raw request body, as received: parse JSON only after verifying. */
  body: string | Buffer;
  /** The Seatbill-Signature header. */
  header: string | undefined;
  secret: string;
  toleranceSeconds?: number;
  /** For tests; the receiver's clock otherwise. */
  nowMs?: number;
}

/** Checks a received webhook: a v1 signature that matches, and a timestamp within the tolerance of now. */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): SignatureCheck {
  const parts = new Map((input.header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return { valid: false, reason: 'malformed' };
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { valid: false, reason: 'too_old' };
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(digest(body, input.secret, timestamp), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { valid: true, timestamp } : { valid: false, reason: 'mismatch' };
}

function digest(body: string, secret: string, timestampSeconds: number): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}
