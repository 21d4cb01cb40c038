// Stripe: SetupIntents against stripe-mock, and webhooks signed with the Stripe library's own test-header helper.
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createStripeClient } from '../../src/payments/stripe-client';
import { createStripeProvider } from '../../src/payments/stripe-provider';
import { setPaymentMethodUpdate, teamWorkflowId } from '../../src/workflows/team-subscription-messages';
import { ApiHarness, WEBHOOK_SECRET } from '../support/api-harness';
import { integrationEnv } from '../support/integration-env';

let api: ApiHarness;
let owner: { id: string; token: string };
let teamId: string;
const verifier = new Stripe('sk_test_123');

/**
 * Which customer each payment method was attached to (by a confirmed SetupIntent). stripe-mock keeps no state, so
 * a proxy in front of it answers a payment method's retrieval with this attachment; every other call goes through.
 */
const attachedTo = new Map<string, string>();
let proxy: Server;

beforeAll(async () => {
  const { stripeMock } = integrationEnv();
  proxy = createServer((req, res) => {
    const attached = /^\/v1\/payment_methods\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const upstream = forward({ host: stripeMock.host, port: stripeMock.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (req.method !== 'GET' || !attached || !attachedTo.has(attached)) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const method = { ...(JSON.parse(Buffer.concat(chunks).toString()) as object), customer: attachedTo.get(attached) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(method));
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const stripe = createStripeClient({ secretKey: 'sk_test_123', endpoint: { host: '127.0.0.1', port, protocol: 'http' } });
  api = await ApiHarness.start({ payments: createStripeProvider({ stripe }), stripe });
  owner = await api.createUser('owner');
  teamId = await api.createTeam(owner.id, { card: false });
}, 120_000);
afterAll(async () => {
  await api?.teardown();
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
}, 60_000);
jest.setTimeout(60_000);

function signed(event: Record<string, unknown>, secret = WEBHOOK_SECRET) {
  const payload = JSON.stringify(event);
  return { payload, signature: verifier.webhooks.generateTestHeaderString({ payload, secret }) };
}

function webhook(event: Record<string, unknown>, secret?: string) {
  const { payload, signature } = signed(event, secret);
  return api.call({ headers: { 'stripe-signature': signature, 'content-type': 'application/json' } }, 'post', '/v1/webhooks/stripe', payload);
}

const intentEvent = (id: string, type: string, metadata: Record<string, string>) => ({
  id, object: 'event', type, api_version: '2025-01-01', created: 1, livemode: false, pending_webhooks: 0, request: null,
  data: { object: { id: `pi_${id}`, object: 'payment_intent', metadata } },
});

test('a card is collected through a SetupIntent on the team\'s one customer (kept in the ledger), then set on the team', async () => {
  const as = api.withToken(owner.token);
  const intent = await api.call(as, 'post', `/v1/teams/${teamId}/payment-method/setup-intent`).expect(201);
  expect(intent.body).toEqual({ setupIntentId: expect.stringMatching(/^seti_/), clientSecret: expect.any(String), customerId: expect.stringMatching(/^cus_/) });
  // A second SetupIntent, days later, is on the same customer: the ledger's, not a 24-hour idempotency key's.
  expect((await api.call(as, 'post', `/v1/teams/${teamId}/payment-method/setup-intent`).expect(201)).body.customerId).toBe(intent.body.customerId);
  expect(await api.db('provider_customers').where({ owner_id: teamId }).select('owner_kind', 'provider', 'customer_id')).toEqual([
    { owner_kind: 'team', provider: 'stripe', customer_id: intent.body.customerId },
  ]);
  attachedTo.set('pm_1Abc', intent.body.customerId);
  await api.call(as, 'post', `/v1/teams/${teamId}/payment-method`, { provider: 'stripe', paymentMethodId: 'pm_1Abc', customerId: intent.body.customerId }).expect(200);
  expect((await api.state(teamId)).hasPaymentMethod).toBe(true);
  const wrong = await api.call(as, 'post', `/v1/teams/${teamId}/payment-method`, { provider: 'sandbox', paymentMethodId: 'pm_card_visa' }).expect(422);
  expect(wrong.body.errors).toEqual([{ field: 'body.provider', message: expect.any(String) }]);
});

test("a payment method or customer that is not the team's is a 422 naming the field, and the team keeps no card", async () => {
  const other = await api.createTeam(owner.id, { card: false });
  const as = api.withToken(owner.token);
  const { customerId } = (await api.call(as, 'post', `/v1/teams/${other}/payment-method/setup-intent`).expect(201)).body as { customerId: string };
  attachedTo.set('pm_someone_elses', 'cus_someone_else');
  const refusals = [
    [{ paymentMethodId: 'pm_someone_elses' }, 'body.paymentMethodId'], // attached to another customer
    [{ paymentMethodId: 'pm_never_attached' }, 'body.paymentMethodId'], // attached to nobody (stripe-mock's own answer)
    [{ paymentMethodId: 'pm_1Abc', customerId: 'cus_someone_else' }, 'body.customerId'],
  ] as const;
  for (const [given, field] of refusals) {
    const refused = await api.call(as, 'post', `/v1/teams/${other}/payment-method`, { provider: 'stripe', ...given }).expect(422);
    expect(refused.type).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'not_owned', errors: [{ field, message: expect.any(String) }] });
  }
  expect((await api.state(other)).hasPaymentMethod).toBe(false);
  attachedTo.set('pm_other_team', customerId);
  await api.call(as, 'post', `/v1/teams/${other}/payment-method`, { provider: 'stripe', paymentMethodId: 'pm_other_team' }).expect(200);
  expect((await api.state(other)).hasPaymentMethod).toBe(true);
});

test("an API-credit purchase is refused with a payment method or customer that is not the account's, and records nothing", async () => {
  const buyer = api.actingFor(owner.id);
  const intent = await api.call(buyer, 'post', `/v1/api-credits/${owner.id}/payment-method/setup-intent`).expect(201);
  expect(await api.db('provider_customers').where({ owner_id: owner.id }).select('owner_kind', 'customer_id')).toEqual([
    { owner_kind: 'api_credit_account', customer_id: intent.body.customerId },
  ]);
  attachedTo.set('pm_stolen', 'cus_victim');
  const stolen = await api.call(buyer, 'post', `/v1/api-credits/${owner.id}/purchases`, { amount: 5000, paymentMethodId: 'pm_stolen' }).expect(422);
  expect(stolen.body).toMatchObject({ code: 'payment_method_not_owned', errors: [{ field: 'body.paymentMethodId' }] });
  attachedTo.set('pm_account_card', intent.body.customerId);
  const otherCustomer = await api.call(buyer, 'post', `/v1/api-credits/${owner.id}/purchases`, { amount: 5000, paymentMethodId: 'pm_account_card', customerId: 'cus_victim' }).expect(422);
  expect(otherCustomer.body).toMatchObject({ code: 'customer_not_owned', errors: [{ field: 'body.customerId' }] });
  expect(await api.db('api_credit_purchases').where({ account_id: owner.id })).toEqual([]);
  // The account's own card passes the check and reaches Stripe (whose canned intent is a decline: 402, not 422).
  const own = await api.call(buyer, 'post', `/v1/api-credits/${owner.id}/purchases`, { amount: 5000, paymentMethodId: 'pm_account_card' }).expect(402);
  expect(own.body).toMatchObject({ code: 'payment_declined' });
});

test('payment_intent.succeeded becomes the paymentConfirmed signal to the team in its metadata, once per event id', async () => {
  const event = intentEvent('evt_paid_1', 'payment_intent.succeeded', { team_id: teamId, invoice_id: 'inv_123' });
  expect((await webhook(event).expect(200)).body).toEqual({ received: true, outcome: 'signaled' });
  expect((await webhook(event).expect(200)).body).toEqual({ received: true, duplicate: true });
  const history = await api.temporal.workflow.getHandle(teamWorkflowId(teamId)).fetchHistory();
  const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'paymentConfirmed');
  expect(signals).toHaveLength(1);
  expect(await api.db('stripe_events').where({ id: 'evt_paid_1' }).first('type', 'team_id', 'outcome')).toEqual({ type: 'payment_intent.succeeded', team_id: teamId, outcome: 'signaled' });
});

test('payment_intent.succeeded for the invoice in dunning records its payment: the invoice paid, the team active again', async () => {
  const dunned = await api.createTeam(owner.id, { card: false });
  const as = api.withToken(owner.token);
  // This file's worker charges through the sandbox, whose declining test card sends the first charge to dunning.
  await api.temporal.workflow.getHandle(teamWorkflowId(dunned)).executeUpdate(setPaymentMethodUpdate, {
    args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_chargeDeclined' }],
  });
  const open = await api.call(as, 'post', `/v1/teams/${dunned}/subscription`, { plan: 'basic', interval: 'month' });
  const invoiceId = (await api.eventually(async () => (await api.state(dunned)).dunning?.invoiceId))!;
  expect(open.status).toBeLessThan(500);
  const invoice = await api.db('invoices').where({ id: invoiceId }).first('status', 'charged');
  expect(invoice).toEqual({ status: 'open', charged: 1200 }); // basic, 1 member

  const event = intentEvent('evt_dunning_paid', 'payment_intent.succeeded', { team_id: dunned, invoice_id: invoiceId });
  (event.data.object as Record<string, unknown>).amount_received = 1200;
  expect((await webhook(event).expect(200)).body).toEqual({ received: true, outcome: 'signaled' });
  const state = await api.eventually(async () => {
    const view = await api.state(dunned);
    return view.status === 'active' ? view : undefined;
  });
  expect(state.dunning).toBeNull();
  expect(await api.db('invoices').where({ id: invoiceId }).first('status')).toEqual({ status: 'paid' });
  expect(await api.db('payments').where({ invoice_id: invoiceId }).select('provider', 'provider_payment_id', 'amount')).toEqual([
    { provider: 'stripe', provider_payment_id: 'pi_evt_dunning_paid', amount: 1200 },
  ]);
});

test('payment_intent.payment_failed becomes the paymentFailed signal, which the state query reports', async () => {
  const event = intentEvent('evt_failed_1', 'payment_intent.payment_failed', { team_id: teamId, invoice_id: 'inv_9' });
  expect((await webhook(event).expect(200)).body).toEqual({ received: true, outcome: 'signaled' });
  expect((await webhook(event).expect(200)).body).toEqual({ received: true, duplicate: true });
  const history = await api.temporal.workflow.getHandle(teamWorkflowId(teamId)).fetchHistory();
  expect(history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'paymentFailed')).toHaveLength(1);
  const state = await api.eventually(async () => {
    const view = await api.state(teamId);
    return view.lastPaymentFailure ? view : undefined;
  });
  expect(state.lastPaymentFailure).toEqual({ paymentId: 'pi_evt_failed_1', invoiceId: 'inv_9', on: state.today });
  expect(state.dunning).toBeNull(); // recorded only: the workflow's own charge drives dunning
  expect(await api.db('stripe_events').where({ id: 'evt_failed_1' }).first('type', 'outcome')).toEqual({ type: 'payment_intent.payment_failed', outcome: 'signaled' });
});

test('unknown teams and other event types are ignored', async () => {
  expect((await webhook(intentEvent('evt_failed_nobody', 'payment_intent.payment_failed', { team_id: 'no-such-team' })).expect(200)).body.outcome).toBe('ignored');
  expect((await webhook(intentEvent('evt_nobody', 'payment_intent.succeeded', { team_id: 'no-such-team', invoice_id: 'inv_1' })).expect(200)).body.outcome).toBe('ignored');
  expect((await webhook(intentEvent('evt_other', 'customer.created', {})).expect(200)).body.outcome).toBe('ignored');
});

test('a bad or missing signature is a 400 problem and nothing is recorded', async () => {
  const forged = await webhook(intentEvent('evt_forged', 'payment_intent.succeeded', { team_id: teamId, invoice_id: 'inv_1' }), 'whsec_other').expect(400);
  expect(forged.body).toMatchObject({ status: 400, errors: [{ field: 'header.stripe-signature' }] });
  await api.call({ headers: {} }, 'post', '/v1/webhooks/stripe', '{}').expect(400);
  expect(await api.db('stripe_events').where({ id: 'evt_forged' }).first()).toBeUndefined();
});
