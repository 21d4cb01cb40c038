// Webhook delivery on the time-skipping server, with the real ledger and a local HTTP receiver: signatures,
// per-endpoint order, retries after 500s and timeouts (backoff skipped in time), and failure after 3 days.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createBillingActivities } from '../../src/activities';
import type { OutgoingEmail } from '../../src/email/mailer';
import { registerSearchAttributes } from '../../src/infra/search-attributes';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { openIsolatedLedger, type IsolatedLedger } from '../../src/simulation/isolated-ledger';
import { relayOutbound } from '../../src/activities/relay';
import { webhookEndpoints, type WebhookEventType } from '../../src/webhooks';
import { firstDeliveryKey, recordWebhookEvent } from '../../src/ledger/outbox/webhook-events';
import { webhookDeliveryWorkflowId } from '../../src/activities/relay';
import { webhookBackoffMs, type WebhookDeliveryOutcome } from '../../src/workflows';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { WebhookReceiver } from '../support/webhook-receiver';
import { recordWorkflowHistory } from '../support/record-history';

const taskQueue = 'webhooks';
let env: TestWorkflowEnvironment;
let ledger: IsolatedLedger;
let worker: Worker;
let running: Promise<void>;
let receiver: WebhookReceiver;
const emails: OutgoingEmail[] = [];

beforeAll(async () => {
  ledger = await openIsolatedLedger();
  const [bundle, testEnv] = await Promise.all([workflowBundle(), createTimeSkippingEnv()]);
  env = testEnv;
  await registerSearchAttributes(env.connection, 'default');
  const activities = createBillingActivities({
    db: ledger.db,
    payments: createSandboxProvider({ db: ledger.db }),
    webhooks: { timeoutMs: 500 },
    email: { mailer: { send: async (email) => (emails.push(email), {}) }, acceptUrl: (id) => `http://localhost/accept/${id}`, apiUrl: (path) => `http://localhost${path}` },
  });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  running = worker.run();
  receiver = await WebhookReceiver.start();
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await receiver?.close();
  await env?.teardown();
  await ledger?.close();
}, 60_000);

jest.setTimeout(120_000);

async function endpoint(path: string, eventTypes: WebhookEventType[], alertEmail?: string) {
  const created = await webhookEndpoints(ledger.db).create({ url: receiver.url(path), eventTypes, ...(alertEmail ? { alertEmail } : {}) });
  receiver.expectSecret(path, created.secret);
  return created;
}

let facts = 0;
async function record(type: WebhookEventType, teamId = 'team-1'): Promise<string> {
  const key = `fact-${++facts}:${type}`;
  await ledger.db.transaction((trx) => recordWebhookEvent(trx, { key, type, teamId, occurredAt: new Date().toISOString(), data: { n: facts } }));
  return ((await ledger.db('webhook_events').where({ idempotency_key: key }).first('id')) as { id: string }).id;
}

async function deliveryIdOf(eventId: string, endpointId: string): Promise<number> {
  return ((await ledger.db('webhook_deliveries').where({ event_id: eventId, endpoint_id: endpointId }).first('id')) as { id: number }).id;
}

/** Waits (skipping time) for a delivery's workflow, which starts only when the deliveries before it have ended. */
async function outcomeOf(eventId: string, endpointId: string): Promise<WebhookDeliveryOutcome> {
  for (let tries = 0; ; tries++) {
    try {
      return (await env.client.workflow.getHandle(webhookDeliveryWorkflowId(firstDeliveryKey(eventId, endpointId))).result()) as WebhookDeliveryOutcome;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError) || tries > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test('signed deliveries reach an endpoint in the order of their events, after retries on 500 and on a timeout', async () => {
  const orders = await endpoint('/orders', ['invoice.created', 'invoice.paid']);
  const first = await record('invoice.created');
  const second = await record('invoice.paid');
  const third = await record('invoice.created');
  await record('invoice.voided'); // not subscribed: no delivery
  receiver.script(first, [500, 'hang', 200]);

  await relayOutbound(ledger.db, { temporal: env.client, taskQueue });
  const outcomes = [];
  for (const eventId of [first, second, third]) outcomes.push(await outcomeOf(eventId, orders.id));

  expect(outcomes.map((o) => [o.status, o.attempts])).toEqual([['delivered', 3], ['delivered', 1], ['delivered', 1]]);
  const got = receiver.received.filter((r) => r.path === '/orders');
  expect(got.map((r) => [r.payload.id, r.attempt, r.answered])).toEqual([
    [first, 1, 500], [first, 2, 'hang'], [first, 3, 200], [second, 1, 200], [third, 1, 200],
  ]);
  expect(got.every((r) => r.signatureValid)).toBe(true);
  expect(got[0]!.payload).toMatchObject({ id: first, type: 'invoice.created', apiVersion: '2026-11-22', teamId: 'team-1', data: { n: 1 } });

  const attempts = await ledger.db('webhook_attempts').where({ delivery_id: await deliveryIdOf(first, orders.id) }).orderBy('attempt');
  expect(attempts.map((a) => [a.attempt, a.succeeded, a.status_code, a.error])).toEqual([[1, false, 500, null], [2, false, null, 'timeout'], [3, true, 200, null]]);
  expect(attempts[1].latency_ms).toBeGreaterThanOrEqual(450); // the 500 ms timeout
  // The waits between attempts, on the server's (skipped) clock: 1 minute, doubling, at most 12 hours.
  expect([1, 2, 3, 10, 11, 20].map(webhookBackoffMs)).toEqual([60_000, 120_000, 240_000, 30_720_000, 43_200_000, 43_200_000]);
  await recordWorkflowHistory(env.client, webhookDeliveryWorkflowId(firstDeliveryKey(first, orders.id)), 'webhook-delivery-retried');
});

test('a receiver failing for 3 days: the delivery is failed after its last attempt and the platform told; the queue moves on', async () => {
  const broken = await endpoint('/broken', ['invoice.voided'], 'ops@example.com');
  receiver.failAlways('/broken');
  const voided = await record('invoice.voided', 'team-2');
  const next = await record('invoice.voided', 'team-2');
  await relayOutbound(ledger.db, { temporal: env.client, taskQueue });

  const before = await env.currentTimeMs();
  const outcome = await outcomeOf(voided, broken.id);
  const elapsedDays = (await env.currentTimeMs() - before) / 86_400_000;
  expect(outcome.status).toBe('failed');
  expect(outcome.attempts).toBeGreaterThan(10);
  expect(elapsedDays).toBeGreaterThanOrEqual(2.99);
  expect(elapsedDays).toBeLessThan(3.1);
  const delivery = await ledger.db('webhook_deliveries').where({ id: await deliveryIdOf(voided, broken.id) }).first();
  expect(delivery).toMatchObject({ status: 'failed', attempts: outcome.attempts, last_status_code: 500 });
  expect(emails.filter((e) => e.to === 'ops@example.com').map((e) => e.subject)).toEqual([`Webhook delivery failed: invoice.voided to ${receiver.url('/broken')}`]);

  // The next event's turn comes only now, with its own 3 days (less the time it waited), in order.
  const nextOutcome = await outcomeOf(next, broken.id);
  expect(nextOutcome.status).toBe('failed');
  const ids = receiver.received.filter((r) => r.path === '/broken').map((r) => r.payload.id);
  expect(ids.indexOf(next)).toBeGreaterThan(ids.lastIndexOf(voided));
});
