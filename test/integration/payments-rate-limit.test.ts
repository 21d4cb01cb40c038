import { ApplicationFailure } from '@temporalio/common';
import Stripe from 'stripe';
import { createBillingActivities, type InvoiceSummary } from '../../src/activities';
import { PaymentProviderRateLimited } from '../../src/payments/payment-provider';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { providerError } from '../../src/payments/stripe-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// A provider's rate limit (HTTP 429) is "not this second", never a decline: the collection fails retryable, leaves
// the invoice open with nothing applied, and Temporal asks again under the same charge key, which charges once.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

const at = '2026-06-20T00:00:00Z';

test("Stripe's 429 is a rate limit, retried, not a rejected request", () => {
  const error = providerError(new Stripe.errors.StripeRateLimitError({ message: 'Too many requests', type: 'rate_limit_error' } as never));
  expect(error).toBeInstanceOf(PaymentProviderRateLimited);
});

test('collections beyond the provider limit are answered 429, retried, and each invoice is charged once', async () => {
  const { db } = testDb;
  // One charge a second at the provider; five collections at once: the provider takes one and answers 429 to the rest.
  const billing = createBillingActivities({ db, payments: { sandbox: createSandboxProvider({ db, maxChargesPerSecond: 1 }) } });
  const invoices: InvoiceSummary[] = [];
  for (let i = 0; i < 5; i++) {
    const teamId = `limited-${i}`;
    await billing.ensureTeam({ teamId, name: teamId, billingCountry: 'US' });
    invoices.push(await billing.issueInvoice({
      key: `${teamId}:renewal:2026-06-20:n1`, teamId, reason: 'renewal', issuedOn: '2026-06-20', workflowId: `team:${teamId}`, runId: 'run-1', at,
      lines: [{ kind: 'period', description: 'Basic monthly × 2 members', amount: 2400, quantity: 2 }],
    }));
  }
  const collect = (invoice: InvoiceSummary) =>
    billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: { provider: 'sandbox', paymentMethodId: 'pm_card_visa' }, at });

  const first = await Promise.allSettled(invoices.map(collect));
  const limited = invoices.filter((_, i) => first[i]!.status === 'rejected');
  expect(limited.length).toBeGreaterThan(0);
  for (const outcome of first.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
    expect(outcome.reason).toBeInstanceOf(ApplicationFailure);
    expect(outcome.reason).toMatchObject({ type: 'PaymentProviderRateLimited', nonRetryable: false });
    expect((outcome.reason as ApplicationFailure).nextRetryDelay).toBe('1 second');
  }
  // Meanwhile a rate-limited invoice is open, unpaid, not failed, and the provider holds no charge for it.
  for (const invoice of limited) {
    expect(await db('invoices').where({ id: invoice.invoiceId }).first('status')).toEqual({ status: 'open' });
    expect(await db('payments').where({ invoice_id: invoice.invoiceId })).toEqual([]);
  }
  expect(await db('sandbox_charges').count({ n: '*' }).first()).toEqual({ n: invoices.length - limited.length });

  // Temporal's retries: the same input again, until the provider takes it.
  for (let pending = limited; pending.length > 0;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const retried = await Promise.allSettled(pending.map(collect));
    for (const outcome of retried) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ type: 'PaymentProviderRateLimited' });
    pending = pending.filter((_, i) => retried[i]!.status === 'rejected');
  }
  const charges = (await db('sandbox_charges').select('idempotency_key', 'status')) as { idempotency_key: string; status: string }[];
  expect(charges.map((c) => c.idempotency_key).sort()).toEqual(invoices.map((_, i) => `limited-${i}:renewal:2026-06-20:n1:attempt:1`).sort());
  expect(charges.every((c) => c.status === 'succeeded')).toBe(true);
  const statuses = (await db('invoices').select('status')) as { status: string }[];
  expect(statuses.map((s) => s.status)).toEqual(invoices.map(() => 'paid'));
  expect(await db('payments').count({ n: '*' }).first()).toEqual({ n: invoices.length });
});
