import { createBillingActivities, type BillingActivities, type InvoiceLineInput } from '../../src/activities';
import { multiply, prorate } from '../../src/domain/money';
import { createSandboxProvider, type SandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Section 4: the balance first, then credits (soonest-expiring grant first), then the card; to the cent.
let testDb: TestDatabase;
let sandbox: SandboxProvider;
let billing: BillingActivities;
beforeAll(async () => {
  testDb = await createTestDatabase();
  sandbox = createSandboxProvider({ db: testDb.db });
  billing = createBillingActivities({ db: testDb.db, payments: sandbox }); // the engine's one provider
});
afterAll(() => testDb.drop());

const visa = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

async function issue(teamId: string, on: string, lines: InvoiceLineInput[], at = `${on}T00:00:00Z`) {
  return billing.issueInvoice({
    key: `${teamId}:${on}:renewal`, teamId, reason: 'renewal', issuedOn: on, lines, workflowId: `team:${teamId}`, runId: 'run-1', at,
  });
}

const period = (members: number, price = 1200): InvoiceLineInput => ({
  kind: 'period', description: `Basic monthly × ${members} members`, amount: multiply(price, members), quantity: members,
});

function ledger(teamId: string) {
  const { db } = testDb;
  return {
    payments: () => db('payments').where({ team_id: teamId }).orderBy('created_at').select('amount', 'provider', 'method', 'status'),
    balance: () => db('balance_transactions').where({ team_id: teamId }).orderBy('id').select('amount', 'reason'),
    creditUses: () => db('credit_transactions').where({ team_id: teamId, kind: 'used' }).orderBy('id').select('grant_id', 'amount'),
    grants: () => db('credit_grants').where({ team_id: teamId }).orderBy('acquired_at').select('id', 'amount', 'remaining'),
    charges: (invoiceKey: string) => db('sandbox_charges').where('idempotency_key', 'like', `${invoiceKey}:%`).select('amount', 'status'),
    invoice: (id: string) => db('invoices').where({ id }).first('total', 'balance_applied', 'credits_applied', 'charged', 'status'),
  };
}

test('T1: trial end of basic monthly, 10 members, 3000 team credits: invoice 12000, credits 3000, card 9000', async () => {
  const teamId = 'team-t1';
  await billing.ensureTeam({ teamId, name: 'T1', billingCountry: 'US' });
  const grant = await billing.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 3000, acquiredAt: '2026-05-06T09:00:00Z', source: 'referral' });
  expect(grant.expiresAt).toBe('2029-12-31T23:59:59Z');

  const invoice = await billing.issueInvoice({
    key: `${teamId}:2026-05-20:trial_end`, teamId, reason: 'trial_end', issuedOn: '2026-05-20', periodStart: '2026-05-20', periodEnd: '2026-06-20',
    lines: [period(10)], workflowId: 'team:team-t1', runId: 'run-1', at: '2026-05-20T00:00:00Z',
  });
  expect(invoice).toEqual({
    invoiceId: expect.any(String), number: expect.stringMatching(/^INV-2026-\d{6}$/), net: 12000, tax: 0, total: 12000, balanceApplied: 0, creditsApplied: 3000, charged: 9000, status: 'open',
    collectOn: 'local', // no PAYMENT_PROVIDER_MAX_RPS given: the workflow collects it in the same task (collect-local)
  });

  const paid = await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:05Z' });
  expect(paid).toMatchObject({ status: 'paid', total: 12000, balanceApplied: 0, creditsApplied: 3000, charged: 9000, paymentId: expect.any(String) });

  const rows = ledger(teamId);
  expect(await rows.payments()).toEqual([{ amount: 9000, provider: 'sandbox', method: 'card', status: 'succeeded' }]);
  expect(await rows.charges(`${teamId}:2026-05-20:trial_end`)).toEqual([{ amount: 9000, status: 'succeeded' }]);
  expect(await rows.creditUses()).toEqual([{ grant_id: grant.grantId, amount: 3000 }]);
  expect(await rows.grants()).toEqual([{ id: grant.grantId, amount: 3000, remaining: 0 }]);
  expect(await rows.balance()).toEqual([]);
  expect(await billing.teamLedgerSummary({ teamId, at: '2026-05-20T00:00:05Z' })).toEqual({ balance: 0, credits: 0 });
});

test('M2: a removed member refunds 1006 to the balance; renewal 10800 uses it first and charges 9794', async () => {
  const teamId = 'team-m2';
  await billing.ensureTeam({ teamId, name: 'M2', billingCountry: 'US' });
  const refund = prorate(1200, 1, 26, 31);
  await billing.creditTeamBalance({ key: `${teamId}:2026-06-20:members_removed`, teamId, amount: refund, reason: 'members_removed', on: '2026-06-20' });
  expect(await billing.teamLedgerSummary({ teamId, at: '2026-06-20T00:00:00Z' })).toEqual({ balance: 1006, credits: 0 });

  const invoice = await issue(teamId, '2026-06-20', [period(9)]);
  expect(invoice).toMatchObject({ total: 10800, balanceApplied: 1006, creditsApplied: 0, charged: 9794 });
  await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-06-20T00:00:05Z' });

  const rows = ledger(teamId);
  expect(await rows.balance()).toEqual([{ amount: 1006, reason: 'members_removed' }, { amount: -1006, reason: 'invoice_payment' }]);
  expect(await rows.payments()).toEqual([expect.objectContaining({ amount: 9794 })]);
  expect(await rows.invoice(invoice.invoiceId)).toEqual({ total: 10800, balance_applied: 1006, credits_applied: 0, charged: 9794, status: 'paid' });
  expect(await billing.teamLedgerSummary({ teamId, at: '2026-06-20T00:00:05Z' })).toEqual({ balance: 0, credits: 0 });
});

describe('balance, then the soonest-expiring credits, then the card', () => {
  const teamId = 'team-order';
  const grants: Record<string, string> = {};
  beforeAll(async () => {
    await billing.ensureTeam({ teamId, name: 'Order', billingCountry: 'US' }); // untaxed: the order of payment, not tax, is tested here
    await billing.creditTeamBalance({ key: `${teamId}:2026-06-20:members_removed`, teamId, amount: 500, reason: 'members_removed', on: '2026-06-20' });
    for (const [name, amount, acquiredAt] of [
      ['expired', 4000, '2022-02-01T00:00:00Z'], // expired 2025-12-31T23:59:59Z
      ['later', 2000, '2026-03-01T00:00:00Z'], // expires 2029-12-31
      ['sooner', 1500, '2025-06-01T00:00:00Z'], // expires 2028-12-31
    ] as const) {
      grants[name] = (await billing.grantTeamCredits({ key: `${teamId}:${name}`, teamId, amount, acquiredAt, source: 'referral' })).grantId;
    }
  });

  test('an invoice the balance and credits cover is paid without a charge', async () => {
    const invoice = await issue(teamId, '2026-06-20', [period(2, 1500)]);
    expect(invoice).toMatchObject({ total: 3000, balanceApplied: 500, creditsApplied: 2500, charged: 0 });
    const paid = await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-06-20T00:00:01Z' });
    expect(paid).toMatchObject({ status: 'paid', paymentId: null, providerPaymentId: null });

    const rows = ledger(teamId);
    expect(await rows.creditUses()).toEqual([{ grant_id: grants.sooner, amount: 1500 }, { grant_id: grants.later, amount: 1000 }]);
    expect(await rows.grants()).toEqual([
      { id: grants.expired, amount: 4000, remaining: 4000 },
      { id: grants.sooner, amount: 1500, remaining: 0 },
      { id: grants.later, amount: 2000, remaining: 1000 },
    ]);
    expect(await rows.payments()).toEqual([]);
    expect(await rows.charges(`${teamId}:2026-06-20:renewal`)).toEqual([]);
  });

  test('an open invoice holds what it planned: the next one plans only what is left', async () => {
    const first = await issue(teamId, '2026-07-20', [period(1)]);
    const second = await issue(teamId, '2026-08-20', [period(1)], '2026-07-20T00:00:00Z');
    expect(first).toMatchObject({ total: 1200, balanceApplied: 0, creditsApplied: 1000, charged: 200 });
    expect(second).toMatchObject({ total: 1200, balanceApplied: 0, creditsApplied: 0, charged: 1200 });
    await billing.collectInvoice({ invoiceId: second.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-08-20T00:00:00Z' });
    await billing.collectInvoice({ invoiceId: first.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-08-20T00:00:00Z' });
    expect(await ledger(teamId).payments()).toEqual([expect.objectContaining({ amount: 1200 }), expect.objectContaining({ amount: 200 })]);
    expect(await billing.teamLedgerSummary({ teamId, at: '2026-08-20T00:00:00Z' })).toEqual({ balance: 0, credits: 0 });
  });
});

test('a grant that expires between issue and a dunning retry is re-planned away: the card pays it all', async () => {
  const teamId = 'team-expiring';
  await billing.ensureTeam({ teamId, name: 'Expiring', billingCountry: 'US' });
  const grant = await billing.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 3000, acquiredAt: '2026-05-06T00:00:00Z', source: 'referral' });
  const invoice = await issue(teamId, '2029-12-31', [period(10)], '2029-12-31T12:00:00Z');
  expect(invoice).toMatchObject({ creditsApplied: 3000, charged: 9000 });

  await sandbox.declineNextCharges('pm_card_visa_expiring', 1);
  const card = { provider: 'sandbox', paymentMethodId: 'pm_card_visa_expiring' } as const;
  await expect(billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card, at: '2029-12-31T12:00:00Z' })).rejects.toMatchObject({ type: 'PaymentDeclined' });
  const paid = await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 2, paymentMethod: card, at: '2030-01-01T00:00:00Z' });

  expect(paid).toMatchObject({ status: 'paid', total: 12000, balanceApplied: 0, creditsApplied: 0, charged: 12000 });
  expect(await ledger(teamId).charges(`${teamId}:2029-12-31:renewal`)).toEqual(
    expect.arrayContaining([{ amount: 9000, status: 'declined' }, { amount: 12000, status: 'succeeded' }]),
  );
  expect(await ledger(teamId).grants()).toEqual([{ id: grant.grantId, amount: 3000, remaining: 3000 }]);
  expect(await ledger(teamId).creditUses()).toEqual([]);
});
