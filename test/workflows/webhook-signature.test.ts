// verifyWebhookSignature: what a receiver runs on every webhook (README, "Receiving webhooks").
import { signWebhookPayload, verifyWebhookSignature } from '../../src/webhooks';

const secret = 'whsec_test_secret';
const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { total: 1200 } });
const now = Date.UTC(2026, 10, 22, 12, 0, 0);
const t = Math.floor(now / 1000);

test('a signature made with the secret over the timestamp and the raw body verifies', () => {
  expect(verifyWebhookSignature({ body, header: signWebhookPayload(body, secret, t), secret, nowMs: now })).toEqual({ valid: true, timestamp: t });
  expect(verifyWebhookSignature({ body: Buffer.from(body), header: signWebhookPayload(body, secret, t), secret, nowMs: now }).valid).toBe(true);
});

test('a changed body, another secret or a changed timestamp is a mismatch', () => {
  const header = signWebhookPayload(body, secret, t);
  expect(verifyWebhookSignature({ body: body.replace('1200', '9999'), header, secret, nowMs: now })).toEqual({ valid: false, reason: 'mismatch' });
  expect(verifyWebhookSignature({ body, header, secret: 'whsec_other', nowMs: now })).toEqual({ valid: false, reason: 'mismatch' });
  expect(verifyWebhookSignature({ body, header: header.replace(`t=${t}`, `t=${t - 1}`), secret, nowMs: now })).toEqual({ valid: false, reason: 'mismatch' });
});

test('a timestamp more than five minutes from now is refused as a replay', () => {
  const header = signWebhookPayload(body, secret, t - 301);
  expect(verifyWebhookSignature({ body, header, secret, nowMs: now })).toEqual({ valid: false, reason: 'too_old' });
  expect(verifyWebhookSignature({ body, header: signWebhookPayload(body, secret, t - 300), secret, nowMs: now }).valid).toBe(true);
  expect(verifyWebhookSignature({ body, header: signWebhookPayload(body, secret, t - 301), secret, nowMs: now, toleranceSeconds: 600 }).valid).toBe(true);
});

test('a missing or malformed header is refused', () => {
  for (const header of [undefined, '', 'v1=abc', `t=${t}`, `t=soon,v1=${'0'.repeat(64)}`, `t=${t},v1=xyz`]) {
    expect(verifyWebhookSignature({ body, header, secret, nowMs: now })).toEqual({ valid: false, reason: 'malformed' });
  }
});
