// Webhooks through the API on real servers: the platform registers an endpoint (its secret shown once), a
// subscription's ledger facts arrive signed and in order, and the API lists events and attempts and redelivers.
import { ApiHarness } from '../support/api-harness';
import { WebhookReceiver } from '../support/webhook-receiver';

let harness: ApiHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  harness = await ApiHarness.start();
  receiver = await WebhookReceiver.start();
}, 120_000);

afterAll(async () => {
  await harness?.teardown();
  await receiver?.close();
}, 60_000);

jest.setTimeout(60_000);

test('register, receive a subscription’s events in order, list them with their attempts, redeliver one', async () => {
  const platform = harness.platform();
  const created = await harness.call(platform, 'post', '/v1/webhook-endpoints', { url: receiver.url('/hooks'), eventTypes: ['*'] }).expect(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  receiver.expectSecret('/hooks', created.body.secret as string);
  const listed = await harness.call(platform, 'get', '/v1/webhook-endpoints').expect(200);
  expect(listed.body).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);

  const owner = await harness.createUser('owner');
  const teamId = await harness.createTeam(owner.id);
  await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);

  const expected = ['invoice.created', 'invoice.finalized', 'invoice.paid', 'subscription.activated'];
  const got = await harness.eventually(async () => {
    const mine = receiver.received.filter((r) => r.payload.teamId === teamId);
    return mine.length >= expected.length ? mine : undefined;
  });
  expect(got.map((r) => r.payload.type)).toEqual(expected);
  expect(got.every((r) => r.signatureValid)).toBe(true);

  const events = await harness.call(platform, 'get', `/v1/webhook-events?teamId=${teamId}`).expect(200);
  expect(events.body.map((e: { type: string }) => e.type)).toEqual([...expected].reverse()); // newest first
  const paid = events.body.find((e: { type: string }) => e.type === 'invoice.paid') as { id: string; data: { total: number } };
  expect(paid.data.total).toBe(1200);
  const detail = await harness.call(platform, 'get', `/v1/webhook-events/${paid.id}`).expect(200);
  expect(detail.body.deliveries).toEqual([
    expect.objectContaining({ endpointId: created.body.id, status: 'delivered', attempts: 1, attemptLog: [expect.objectContaining({ attempt: 1, succeeded: true, statusCode: 200 })] }),
  ]);

  const again = await harness.call(platform, 'post', `/v1/webhook-endpoints/${created.body.id}/redeliveries`, { eventId: paid.id }, 'redeliver-paid-1').expect(202);
  await harness.call(platform, 'post', `/v1/webhook-endpoints/${created.body.id}/redeliveries`, { eventId: paid.id }, 'redeliver-paid-1').expect(202);
  await harness.eventually(async () => (receiver.received.filter((r) => r.payload.id === paid.id).length >= 2 ? true : undefined));
  const deliveries = await harness.call(platform, 'get', `/v1/webhook-endpoints/${created.body.id}/deliveries`).expect(200);
  expect(deliveries.body.filter((d: { eventId: string }) => d.eventId === paid.id).map((d: { id: number }) => d.id)).toContain(again.body.deliveryId);
  expect(receiver.received.filter((r) => r.payload.id === paid.id)).toHaveLength(2); // the same key twice is one redelivery

  // Only the platform manages webhooks.
  await harness.call(harness.actingFor(owner.id), 'get', '/v1/webhook-endpoints').expect(403);
});
