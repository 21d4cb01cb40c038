// Invoice first through Stripe (section 7, issue 6) on the time-skipping server with the real ledger: a team paying
// through Stripe gets its seat order's invoice as a Stripe `send_invoice` invoice; paid, the order starts; unpaid at
// the due date, it is voided at Stripe with ours, unless Stripe reports it paid (then the payment starts the order).
// Stripe itself is a recording fake here; test/integration/api-seats-stripe.test.ts runs the same calls on stripe-mock.
import { buySeatsUpdate, recordInvoicePaymentUpdate, setPaymentMethodUpdate } from '../../src/workflows';
import type { SendInvoiceRequest, StripeInvoices } from '../../src/payments/stripe-invoices';
import { WorkflowHarness, type TeamUnderTest } from '../support/workflow-harness';

/** Stripe as far as invoice first uses it: what was sent and voided, and the status each invoice reports. */
class FakeStripeInvoices implements StripeInvoices {
  readonly sent: SendInvoiceRequest[] = [];
  readonly voided: { providerInvoiceId: string; idempotencyKey: string }[] = [];
  readonly statuses = new Map<string, { status: string; amountPaid: number }>();

  async sendInvoice(request: SendInvoiceRequest) {
    this.sent.push(request);
    const providerInvoiceId = `in_fake_${this.sent.length}`;
    this.statuses.set(providerInvoiceId, { status: 'open', amountPaid: 0 });
    return { providerInvoiceId, status: 'open', hostedInvoiceUrl: `https://invoice.stripe.test/${providerInvoiceId}` };
  }

  async invoiceStatus(providerInvoiceId: string) {
    return this.statuses.get(providerInvoiceId) ?? { status: null, amountPaid: 0 };
  }

  async voidInvoice(providerInvoiceId: string, idempotencyKey: string) {
    this.voided.push({ providerInvoiceId, idempotencyKey });
    this.statuses.set(providerInvoiceId, { status: 'void', amountPaid: 0 });
    return { status: 'void' };
  }
}

const stripe = new FakeStripeInvoices();
let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await WorkflowHarness.start({ stripeInvoices: stripe });
}, 180_000);

afterAll(() => harness?.teardown(), 60_000);

jest.setTimeout(120_000);

async function stripeTeamOrdering(members: number) {
  const team = await harness.startTeam({ start: '2026-01-01', members, card: null });
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'stripe', paymentMethodId: 'pm_1Abc', customerId: `cus_${team.teamId}` }] });
  const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: members, invoiceFirst: true }] });
  return { team, ordered, invoiceId: ordered.invoice!.invoiceId };
}

async function providerInvoiceOf(invoiceId: string): Promise<string | null> {
  const row = (await harness.db('invoices').where({ id: invoiceId }).first('provider_invoice_id')) as { provider_invoice_id: string | null };
  return row.provider_invoice_id;
}

async function paymentsOf(team: TeamUnderTest) {
  return harness.db('payments').where({ team_id: team.teamId }).select('provider', 'provider_payment_id', 'amount', 'method');
}

test('a Stripe team: the invoice is sent by Stripe (send_invoice, due in 30 days, keyed by our invoice); paid, the order starts', async () => {
  const { team, ordered, invoiceId } = await stripeTeamOrdering(3);
  const request = stripe.sent.find((sent) => sent.metadata?.invoice_id === invoiceId)!;
  expect(request).toEqual({
    idempotencyKey: `${team.teamId}:seat_order:2026-01-01:n1`,
    customerId: `cus_${team.teamId}`,
    daysUntilDue: 30, // due 2026-01-31, as ours
    lines: [{ description: 'Basic, seat order, 3 seats, one year from payment', amount: 32400 }],
    metadata: { team_id: team.teamId, invoice_id: invoiceId, invoice_number: 'INV-2026-000001' }, // the file's first invoice
  });
  const providerInvoiceId = (await providerInvoiceOf(invoiceId))!;
  expect(ordered).toMatchObject({
    status: 'awaiting_payment',
    ordered: { invoice: { dueOn: '2026-01-31', paid: false, provider: { invoiceId: providerInvoiceId, hostedInvoiceUrl: expect.stringContaining(providerInvoiceId) } } },
  });
  await team.advanceTo('2026-01-20');
  // What the `invoice.paid` webhook sends: the Stripe invoice's id is the payment's reference.
  const paid = await team.handle.executeUpdate(recordInvoicePaymentUpdate, { args: [{ invoiceId, method: 'card', reference: providerInvoiceId }] });
  expect(paid).toMatchObject({ status: 'active', order: { period: { start: '2026-01-20', end: '2027-01-20' } } });
  expect(await paymentsOf(team)).toEqual([{ provider: 'external', provider_payment_id: providerInvoiceId, amount: 32400, method: 'card' }]);
  await team.advanceTo('2026-02-01'); // past the due day: nothing is voided, here or at Stripe
  expect(stripe.voided.filter((v) => v.providerInvoiceId === providerInvoiceId)).toEqual([]);
  await team.recordHistory('seat-order-invoice-first-stripe-paid', 0);
});

test('unpaid past its due day: voided at Stripe (once, keyed by our invoice) and in the ledger; the order never starts', async () => {
  const { team, invoiceId } = await stripeTeamOrdering(2);
  const providerInvoiceId = (await providerInvoiceOf(invoiceId))!;
  await team.advanceTo('2026-01-31');
  expect(stripe.voided.filter((v) => v.providerInvoiceId === providerInvoiceId)).toEqual([]);
  await team.advanceTo('2026-02-01');
  expect(stripe.voided.filter((v) => v.providerInvoiceId === providerInvoiceId)).toEqual([{ providerInvoiceId, idempotencyKey: `${team.teamId}:seat_order:2026-01-01:n1` }]);
  expect(await team.state()).toMatchObject({ plan: 'free', orderedSeats: null });
  expect((await team.ledger()).invoices).toMatchObject([{ reason: 'seat_order', status: 'void' }]);
  await team.recordHistory('seat-order-invoice-first-stripe-void', 0);
});

test('paid at Stripe but its webhook lost: at the due date the payment is recorded and the order starts; nothing is voided', async () => {
  const { team, invoiceId } = await stripeTeamOrdering(4);
  const providerInvoiceId = (await providerInvoiceOf(invoiceId))!;
  stripe.statuses.set(providerInvoiceId, { status: 'paid', amountPaid: 43200 });
  await team.advanceTo('2026-02-01');
  expect(stripe.voided.filter((v) => v.providerInvoiceId === providerInvoiceId)).toEqual([]);
  expect(await team.state()).toMatchObject({ plan: 'basic', seats: 4, seatOrder: { period: { start: '2026-02-01', end: '2027-02-01' } }, orderedSeats: null });
  expect((await team.ledger()).invoices).toMatchObject([{ reason: 'seat_order', status: 'paid' }]);
  expect(await paymentsOf(team)).toEqual([{ provider: 'external', provider_payment_id: providerInvoiceId, amount: 43200, method: 'card' }]);
});

test('a team without a Stripe payment method: invoice first stays ours alone, nothing is sent to Stripe', async () => {
  const team = await harness.startTeam({ start: '2026-01-01', members: 2, card: null });
  const before = stripe.sent.length;
  const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2, invoiceFirst: true }] });
  expect(stripe.sent.length).toBe(before);
  expect(ordered).toMatchObject({ status: 'awaiting_payment', ordered: { invoice: { paid: false } } });
  expect((ordered as { ordered: { invoice: object } }).ordered.invoice).not.toHaveProperty('provider');
});
