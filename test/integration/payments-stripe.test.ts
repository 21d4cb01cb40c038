import { createServer, request as forward, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBillingActivities } from '../../src/activities';
import { PaymentDeclined, PaymentProviderUnavailable } from '../../src/payments/payment-provider';
import { createStripeClient } from '../../src/payments/stripe-client';
import { chargeOutcome, createStripeProvider } from '../../src/payments/stripe-provider';
import { createTestDatabase } from '../support/database';
import { integrationEnv } from '../support/integration-env';

// stripe-mock answers from canned fixtures, so these tests check what we send (through a recording proxy in
// front of it) and the shape of what comes back, never amounts it does not echo.
interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: URLSearchParams;
}

let proxy: Server;
let recorded: Recorded[] = [];
let failNext = 0; // answer the next N requests with a 503 instead of forwarding them

beforeAll(async () => {
  const { stripeMock } = integrationEnv();
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      recorded.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: new URLSearchParams(body.toString()) });
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"type":"api_error","message":"down"}}');
        return;
      }
      const upstream = forward({ host: stripeMock.host, port: stripeMock.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
beforeEach(() => {
  recorded = [];
  failNext = 0;
});

function provider(port = (proxy.address() as AddressInfo).port) {
  return createStripeProvider({ stripe: createStripeClient({ secretKey: 'sk_test_123', endpoint: { host: '127.0.0.1', port, protocol: 'http' } }) });
}

test('a charge is a PaymentIntent confirmed off-session with the customer and payment method, under our idempotency key', async () => {
  // stripe-mock's fixture intent comes back `requires_payment_method`, which for a confirmed intent is a decline.
  const outcome = await provider()
    .charge({ idempotencyKey: 'team-1:2026-05-20:trial_end:attempt:1', amount: 9000, paymentMethodId: 'pm_card_visa', customerId: 'cus_123', metadata: { invoice_id: 'inv_1' } })
    .catch((e: unknown) => e);
  expect(outcome).toBeInstanceOf(PaymentDeclined);

  expect(recorded).toHaveLength(1);
  const [create] = recorded as [Recorded];
  expect(create).toMatchObject({ method: 'POST', path: '/v1/payment_intents' });
  expect(create.headers['idempotency-key']).toBe('team-1:2026-05-20:trial_end:attempt:1');
  expect(Object.fromEntries(create.body)).toMatchObject({
    amount: '9000', currency: 'usd', customer: 'cus_123', payment_method: 'pm_card_visa',
    confirm: 'true', off_session: 'true', 'metadata[invoice_id]': 'inv_1',
  });
});

test('a succeeded intent is the charge; an intent needing action or a payment method is a decline; processing is retried', () => {
  const request = { amount: 9000 };
  expect(chargeOutcome({ id: 'pi_1', status: 'succeeded', amount: 9000, last_payment_error: null }, request)).toEqual({ providerPaymentId: 'pi_1', amount: 9000 });
  expect(() => chargeOutcome({ id: 'pi_2', status: 'requires_action', amount: 9000, last_payment_error: null }, request)).toThrow(
    expect.objectContaining({ name: 'PaymentDeclined', code: 'authentication_required' }),
  );
  const declined = { id: 'pi_3', status: 'requires_payment_method' as const, amount: 9000, last_payment_error: { type: 'card_error' as const, code: 'card_declined', decline_code: 'insufficient_funds' } };
  expect(() => chargeOutcome(declined, request)).toThrow(expect.objectContaining({ code: 'insufficient_funds' }));
  expect(() => chargeOutcome({ id: 'pi_4', status: 'processing', amount: 9000, last_payment_error: null }, request)).toThrow(PaymentProviderUnavailable);
});

test('a refund goes through the Refunds API under our idempotency key', async () => {
  const refund = await provider().refund({ idempotencyKey: 'pay_1:refund', providerPaymentId: 'pi_123', amount: 1006 });
  expect(refund).toEqual({ providerRefundId: expect.stringMatching(/^re_/), amount: expect.any(Number) });
  const [call] = recorded as [Recorded];
  expect(call).toMatchObject({ method: 'POST', path: '/v1/refunds' });
  expect(call.headers['idempotency-key']).toBe('pay_1:refund');
  expect(Object.fromEntries(call.body)).toEqual({ payment_intent: 'pi_123', amount: '1006' });
});

test('a customer is created with the team in its metadata, under our idempotency key', async () => {
  const { customerId } = await provider().createCustomer({ idempotencyKey: 'customer:team-1', teamId: 'team-1', email: 'billing@acme.test' });
  expect(customerId).toMatch(/^cus_/);
  const [call] = recorded as [Recorded];
  expect(call.headers['idempotency-key']).toBe('customer:team-1');
  expect(Object.fromEntries(call.body)).toEqual({ email: 'billing@acme.test', 'metadata[team_id]': 'team-1' });
});

test('a 5xx is retried by the client under the same key, and when it persists is a retryable PaymentProviderUnavailable', async () => {
  failNext = 1;
  await provider().createCustomer({ idempotencyKey: 'customer:team-2', teamId: 'team-2' });
  expect(recorded.map((r) => r.headers['idempotency-key'])).toEqual(['customer:team-2', 'customer:team-2']);

  failNext = 10;
  await expect(provider().refund({ idempotencyKey: 'pay_2:refund', providerPaymentId: 'pi_2' })).rejects.toBeInstanceOf(PaymentProviderUnavailable);
}, 20_000);

test('an unreachable Stripe is a retryable PaymentProviderUnavailable', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(provider(port).charge({ idempotencyKey: 'k', amount: 100, paymentMethodId: 'pm_card_visa' })).rejects.toBeInstanceOf(PaymentProviderUnavailable);
}, 20_000);

test('every PaymentIntent carries its idempotency key in our metadata, so the charge can be looked up later', async () => {
  await provider().charge({ idempotencyKey: 'team-1:renewal:2026-06-20:attempt:1', amount: 3600, paymentMethodId: 'pm_card_visa', metadata: { invoice_id: 'inv_1' } }).catch(() => undefined);
  const [create] = recorded as [Recorded];
  expect(Object.fromEntries(create.body)).toMatchObject({ 'metadata[invoice_id]': 'inv_1', 'metadata[charge_key]': 'team-1:renewal:2026-06-20:attempt:1' });
});

test("a charge is looked up among the customer's PaymentIntents, or by a metadata search without a customer, and never made", async () => {
  // stripe-mock's canned intents carry none of our keys: not found.
  const lookup = { idempotencyKey: "team-1:renewal:2026-06-20:attempt:1", amount: 3600, paymentMethodId: 'pm_card_visa' };
  await expect(provider().findCharge({ ...lookup, customerId: 'cus_123' })).resolves.toBeNull();
  await expect(provider().findCharge(lookup)).resolves.toBeNull();
  expect(recorded.map((r) => r.method)).toEqual(['GET', 'GET']);
  const [list, search] = recorded.map((r) => new URL(r.path, 'http://stripe'));
  expect(list!.pathname).toBe('/v1/payment_intents');
  expect(Object.fromEntries(list!.searchParams)).toEqual({ customer: 'cus_123', limit: '100' });
  expect(search!.pathname).toBe('/v1/payment_intents/search');
  expect(search!.searchParams.get('query')).toBe("metadata['charge_key']:'team-1:renewal:2026-06-20:attempt:1'");
});

test('a payment method is held by the customer Stripe has it attached to, or by nobody yet', async () => {
  // stripe-mock's payment method is attached to no customer.
  await expect(provider().paymentMethodHolder('pm_1Abc')).resolves.toEqual({ kind: 'unattached' });
  expect(recorded.map((r) => [r.method, r.path])).toEqual([['GET', '/v1/payment_methods/pm_1Abc']]);
});

test('a charge for an invoice carries its number, in the description and the metadata the Stripe dashboard shows', async () => {
  const testDb = await createTestDatabase();
  try {
    const billing = createBillingActivities({ db: testDb.db, payments: { stripe: provider() } });
    await billing.ensureTeam({ teamId: 'team-stripe', name: 'Stripe team', billingCountry: 'DE' });
    const invoice = await billing.issueInvoice({
      key: 'team-stripe:subscribe:2026-05-20', teamId: 'team-stripe', reason: 'subscribe', issuedOn: '2026-05-20', workflowId: 'w', runId: 'r', at: '2026-05-20T00:00:00Z',
      lines: [{ kind: 'period', description: 'Basic, monthly, 10 members', amount: 12000, quantity: 10 }],
    });
    const paymentMethod = { provider: 'stripe', paymentMethodId: 'pm_card_visa', customerId: 'cus_123' } as const;
    // stripe-mock's canned intent is a decline; what matters here is what was sent.
    await expect(billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod, at: '2026-05-20T00:00:01Z' })).rejects.toMatchObject({ type: 'PaymentDeclined' });
    const sent = recorded.find((r) => r.path === '/v1/payment_intents')!.body;
    expect(sent.get('amount')).toBe('14280'); // 12000 + 19% German VAT
    expect(sent.get('description')).toBe(`Invoice ${invoice.number} (subscribe)`);
    expect(sent.get('metadata[invoice_number]')).toBe(invoice.number);
    expect(invoice.number).toMatch(/^INV-2026-\d{6}$/);
  } finally {
    await testDb.drop();
  }
});
