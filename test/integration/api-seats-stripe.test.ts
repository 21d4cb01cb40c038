// Invoice first with Stripe: the `send_invoice` path against stripe-mock. stripe-mock answers from canned fixtures,
// so this checks what we send (spied on the client) and that each step's answer is read, not the amounts it echoes.
// Then end to end through the API: a team paying through Stripe orders seats invoice first, the workflow sends the
// Stripe invoice, and Stripe's signed `invoice.paid` webhook records the payment and starts the order, once.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { providerInvoiceActivities } from '../../src/activities/provider-invoices';
import { createStripeClient } from '../../src/payments/stripe-client';
import { createStripeInvoices } from '../../src/payments/stripe-invoices';
import { createStripeProvider } from '../../src/payments/stripe-provider';
import { ApiHarness, WEBHOOK_SECRET } from '../support/api-harness';
import { integrationEnv } from '../support/integration-env';

let stripe: Stripe;
let api: ApiHarness;
let owner: { id: string; token: string };
const verifier = new Stripe('sk_test_123');

beforeAll(async () => {
  const { stripeMock } = integrationEnv();
  stripe = createStripeClient({ secretKey: 'sk_test_123', endpoint: { host: stripeMock.host, port: stripeMock.port, protocol: 'http' } });
  api = await ApiHarness.start({ payments: createStripeProvider({ stripe }), stripe, stripeInvoices: createStripeInvoices({ stripe }) });
  owner = await api.createUser('owner');
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
afterEach(() => jest.restoreAllMocks());
jest.setTimeout(60_000);

test('an invoice-first seat order is a Stripe invoice collected by send_invoice, due in 30 days, sent once per business key', async () => {
  const create = jest.spyOn(stripe.invoices, 'create');
  const item = jest.spyOn(stripe.invoiceItems, 'create');
  const send = jest.spyOn(stripe.invoices, 'sendInvoice');
  const invoices = createStripeInvoices({ stripe });
  const key = 'team-1:seat_order:2026-01-01';
  const sent = await invoices.sendInvoice({
    idempotencyKey: key, customerId: 'cus_123', daysUntilDue: 30, metadata: { team_id: 'team-1' },
    lines: [{ description: 'Basic, seat order, 10 seats, one year from payment', amount: 108000 }],
  });
  expect(sent.providerInvoiceId).toMatch(/^in_/);
  expect(create).toHaveBeenCalledWith(
    expect.objectContaining({ customer: 'cus_123', collection_method: 'send_invoice', days_until_due: 30, currency: 'usd', auto_advance: false }),
    { idempotencyKey: `${key}:invoice` },
  );
  expect(item).toHaveBeenCalledWith(
    expect.objectContaining({ amount: 108000, currency: 'usd', description: 'Basic, seat order, 10 seats, one year from payment' }),
    { idempotencyKey: `${key}:line:1` },
  );
  expect(send).toHaveBeenCalledWith(expect.any(String), {}, { idempotencyKey: `${key}:send` });
  const voided = await invoices.voidInvoice(sent.providerInvoiceId, key);
  expect(voided).toHaveProperty('status');
});

function webhook(event: Record<string, unknown>) {
  const payload = JSON.stringify(event);
  const signature = verifier.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return api.call({ headers: { 'stripe-signature': signature, 'content-type': 'application/json' } }, 'post', '/v1/webhooks/stripe', payload);
}

const invoicePaid = (eventId: string, stripeInvoiceId: string, metadata: Record<string, string>) => ({
  id: eventId, object: 'event', type: 'invoice.paid', api_version: '2025-01-01', created: 1, livemode: false, pending_webhooks: 0, request: null,
  data: { object: { id: stripeInvoiceId, object: 'invoice', status: 'paid', collection_method: 'send_invoice', metadata } },
});

/** A team paying through Stripe (its one customer, from a SetupIntent) that ordered `seats` basic seats invoice first. */
async function stripeTeamOrdering(seats: number) {
  const teamId = await api.createTeam(owner.id, { card: false });
  const as = api.actingFor(owner.id);
  const { customerId } = (await api.call(as, 'post', `/v1/teams/${teamId}/payment-method/setup-intent`).expect(201)).body as { customerId: string };
  // The SetupIntent attached the card to the team's customer; stripe-mock keeps no attachment, so its retrieval says so.
  jest.spyOn(stripe.paymentMethods, 'retrieve').mockResolvedValueOnce({ id: 'pm_1Abc', customer: customerId } as unknown as Stripe.Response<Stripe.PaymentMethod>);
  await api.call(as, 'post', `/v1/teams/${teamId}/payment-method`, { provider: 'stripe', paymentMethodId: 'pm_1Abc', customerId }).expect(200);
  const ordered = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats, invoiceFirst: true }).expect(200);
  return { teamId, customerId, ordered: ordered.body };
}

async function ledgerInvoice(invoiceId: string) {
  return api.db('invoices').where({ id: invoiceId }).first('idempotency_key', 'number', 'status', 'provider_invoice_id', 'provider_invoice_url', 'team_id');
}

test('the workflow sends the order through Stripe; invoice.paid records the payment and starts the order, once however often it comes', async () => {
  const create = jest.spyOn(stripe.invoices, 'create');
  const finalize = jest.spyOn(stripe.invoices, 'finalizeInvoice');
  const { teamId, customerId, ordered } = await stripeTeamOrdering(3);
  expect(ordered).toMatchObject({ status: 'awaiting_payment', invoice: { status: 'open', total: 32400, charged: 32400 } });
  const invoiceId = ordered.invoice.invoiceId as string;
  const row = await ledgerInvoice(invoiceId);
  expect(row.provider_invoice_id).toMatch(/^in_/);
  expect(ordered.ordered.invoice.provider).toEqual({ invoiceId: row.provider_invoice_id, hostedInvoiceUrl: row.provider_invoice_url });
  // What our code sent: Stripe's due date is finalization + 30 days, ours issue + 30; keys from our invoice's key.
  expect(create).toHaveBeenCalledTimes(1);
  expect(create).toHaveBeenCalledWith(
    expect.objectContaining({ customer: customerId, collection_method: 'send_invoice', days_until_due: 30, metadata: { team_id: teamId, invoice_id: invoiceId, invoice_number: row.number } }),
    { idempotencyKey: `${row.idempotency_key}:invoice` },
  );
  expect(finalize).toHaveBeenCalledWith(row.provider_invoice_id, {}, { idempotencyKey: `${row.idempotency_key}:finalize` });

  const paid = invoicePaid(`evt_${randomUUID()}`, row.provider_invoice_id, { team_id: teamId, invoice_id: invoiceId });
  expect((await webhook(paid).expect(200)).body).toEqual({ received: true, outcome: 'recorded' });
  const state = await api.state(teamId);
  expect(state).toMatchObject({ plan: 'basic', status: 'active', seats: 3, orderedSeats: null, seatOrder: { period: { start: state.today } } });
  expect((await ledgerInvoice(invoiceId)).status).toBe('paid');
  // The same event replayed, then another event about the same invoice (Stripe may send both): still one payment.
  expect((await webhook(paid).expect(200)).body).toEqual({ received: true, duplicate: true });
  expect((await webhook(invoicePaid(`evt_${randomUUID()}`, row.provider_invoice_id, { team_id: teamId, invoice_id: invoiceId })).expect(200)).body.received).toBe(true);
  expect(await api.db('payments').where({ invoice_id: invoiceId }).select('provider_payment_id', 'amount', 'method')).toEqual([
    { provider_payment_id: row.provider_invoice_id, amount: 32400, method: 'card' },
  ]);
});

test('sending is idempotent: a retried activity returns the Stripe invoice stored on ours without asking Stripe again', async () => {
  const { ordered } = await stripeTeamOrdering(2);
  const activities = providerInvoiceActivities({ db: api.db, payments: {}, stripeInvoices: createStripeInvoices({ stripe }) });
  const create = jest.spyOn(stripe.invoices, 'create');
  const again = await activities.sendProviderInvoice({ invoiceId: ordered.invoice.invoiceId, customerId: 'cus_other', at: new Date().toISOString() });
  expect(again.providerInvoiceId).toBe(ordered.ordered.invoice.provider.invoiceId);
  expect(create).not.toHaveBeenCalled();
});

test('at the due date the Stripe invoice is voided under our key; one Stripe reports paid is not voided, its payment is reported', async () => {
  const { ordered } = await stripeTeamOrdering(2);
  const invoiceId = ordered.invoice.invoiceId as string;
  const row = await ledgerInvoice(invoiceId);
  const activities = providerInvoiceActivities({ db: api.db, payments: {}, stripeInvoices: createStripeInvoices({ stripe }) });
  const retrieve = jest.spyOn(stripe.invoices, 'retrieve');
  const voidInvoice = jest.spyOn(stripe.invoices, 'voidInvoice');
  // stripe-mock's fixture is not paid: voided.
  retrieve.mockResolvedValueOnce({ id: row.provider_invoice_id, status: 'open', amount_paid: 0 } as unknown as Stripe.Response<Stripe.Invoice>);
  expect(await activities.voidProviderInvoice({ invoiceId })).toEqual({ outcome: 'voided' });
  expect(voidInvoice).toHaveBeenCalledWith(row.provider_invoice_id, {}, { idempotencyKey: `${row.idempotency_key}:void` });
  voidInvoice.mockClear();
  retrieve.mockResolvedValueOnce({ id: row.provider_invoice_id, status: 'paid', amount_paid: 21600 } as unknown as Stripe.Response<Stripe.Invoice>);
  expect(await activities.voidProviderInvoice({ invoiceId })).toEqual({ outcome: 'paid', reference: row.provider_invoice_id, amount: 21600 });
  expect(voidInvoice).not.toHaveBeenCalled();
});

test('bad input is a 4xx problem naming the field', async () => {
  const teamId = await api.createTeam(owner.id, { card: false });
  const res = await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats: 1, invoiceFirst: true, dueDays: 0 }).expect(400);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.dueDays' })]);
});
