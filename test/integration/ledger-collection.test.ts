import { ApplicationFailure } from '@temporalio/common';
import { createBillingActivities, type BillingActivities, type InvoiceSummary } from '../../src/activities';
import { prorate } from '../../src/domain/money';
import { PaymentProviderUnavailable, type PaymentProvider } from '../../src/payments/payment-provider';
import { createSandboxProvider, type SandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Collecting safely: declines that change nothing, crashes that charge once, and many callers at once.
let testDb: TestDatabase;
let sandbox: SandboxProvider;
let billing: BillingActivities;
beforeAll(async () => {
  testDb = await createTestDatabase();
  sandbox = createSandboxProvider({ db: testDb.db });
  billing = createBillingActivities({ db: testDb.db, payments: { sandbox } });
});
afterAll(() => testDb.drop());

const at = '2026-06-20T00:00:00Z';
const card = (paymentMethodId: string) => ({ provider: 'sandbox', paymentMethodId }) as const;

/** A team with 1006 in its balance and 3000 of credits, and an open renewal of 12000: 9794 left for the card. */
async function teamWithRenewal(teamId: string, activities = billing): Promise<InvoiceSummary> {
  await activities.ensureTeam({ teamId, name: teamId, billingCountry: 'US' });
  await activities.creditTeamBalance({ key: `${teamId}:refund`, teamId, amount: 1006, reason: 'members_removed', on: '2026-06-20' });
  await activities.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 3000, acquiredAt: '2026-05-06T00:00:00Z', source: 'referral' });
  const invoice = await activities.issueInvoice({
    key: `${teamId}:2026-06-20:renewal`, teamId, reason: 'renewal', issuedOn: '2026-06-20', workflowId: `team:${teamId}`, runId: 'run-1', at,
    lines: [{ kind: 'period', description: 'Basic monthly × 10 members', amount: 12000, quantity: 10 }],
  });
  expect(invoice).toMatchObject({ balanceApplied: 1006, creditsApplied: 3000, charged: 7994 });
  return invoice;
}

/** Everything the ledger and the sandbox hold about a team's money. */
async function moneyOf(teamId: string) {
  const { db } = testDb;
  return {
    invoice: (await db('invoices').where({ team_id: teamId }).first('status')) as { status: string },
    charges: await db('sandbox_charges').where('idempotency_key', 'like', `${teamId}:%`).orderBy('created_at').select('amount', 'status', 'decline_code'),
    payments: await db('payments').where({ team_id: teamId }).select('amount'),
    balanceUses: await db('balance_transactions').where({ team_id: teamId }).where('amount', '<', 0).select('amount'),
    creditUses: await db('credit_transactions').where({ team_id: teamId, kind: 'used' }).select('amount'),
    summary: await billing.teamLedgerSummary({ teamId, at }),
  };
}

const nothingApplied = { payments: [], balanceUses: [], creditUses: [], summary: { balance: 1006, credits: 3000 } };
const paidOnce = {
  invoice: { status: 'paid' },
  charges: [{ amount: 7994, status: 'succeeded', decline_code: null }],
  payments: [{ amount: 7994 }],
  balanceUses: [{ amount: -1006 }],
  creditUses: [{ amount: 3000 }],
  summary: { balance: 0, credits: 0 },
};

describe('declines', () => {
  test.each([
    ['pm_card_chargeDeclined', 'card_declined'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
  ])('%s fails for good with PaymentDeclined (%s); the invoice stays open with nothing applied', async (paymentMethodId, code) => {
    const teamId = `team-${code}`;
    const invoice = await teamWithRenewal(teamId);
    const error = await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card(paymentMethodId), at }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'PaymentDeclined', nonRetryable: true, details: [expect.objectContaining({ code, attempt: 1, amount: 7994 })] });
    expect(await moneyOf(teamId)).toMatchObject({ invoice: { status: 'open' }, ...nothingApplied });
  });

  test('dunning: two forced declines, then the third attempt is paid', async () => {
    const teamId = 'team-dunning';
    const invoice = await teamWithRenewal(teamId);
    await sandbox.declineNextCharges('pm_card_visa_dunning', 2);
    for (const attempt of [1, 2]) {
      await expect(billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt, paymentMethod: card('pm_card_visa_dunning'), at })).rejects.toMatchObject({ type: 'PaymentDeclined' });
    }
    await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 3, paymentMethod: card('pm_card_visa_dunning'), at });
    const declined = { amount: 7994, status: 'declined', decline_code: 'card_declined' };
    expect(await moneyOf(teamId)).toEqual({ ...paidOnce, charges: [declined, declined, paidOnce.charges[0]] });
  });

  test('after the last retry the invoice is failed, holds nothing, and cannot be collected', async () => {
    const teamId = 'team-failed';
    const invoice = await teamWithRenewal(teamId);
    await expect(billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card('pm_card_chargeDeclined'), at })).rejects.toThrow();
    await expect(billing.failInvoice({ invoiceId: invoice.invoiceId, at })).resolves.toMatchObject({ status: 'failed' });
    await expect(billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 2, paymentMethod: card('pm_card_visa'), at })).rejects.toMatchObject({ type: 'InvoiceClosed', nonRetryable: true });
    await expect(billing.voidInvoice({ invoiceId: invoice.invoiceId, at })).rejects.toMatchObject({ type: 'InvoiceClosed' });
    expect(await moneyOf(teamId)).toMatchObject({ invoice: { status: 'failed' }, ...nothingApplied });
    // What the failed invoice held is free again for the next one.
    const next = await billing.issueInvoice({
      key: `${teamId}:2026-06-21:subscribe`, teamId, reason: 'subscribe', issuedOn: '2026-06-21', workflowId: 'w', runId: 'r', at,
      lines: [{ kind: 'period', description: 'Basic monthly × 1 member', amount: 1200 }],
    });
    expect(next).toMatchObject({ balanceApplied: 1006, creditsApplied: 194, charged: 0 });
  });
});

describe('crash safety', () => {
  test('the provider charged but its answer was lost (a timeout): the retry gets the same charge, recorded once', async () => {
    const teamId = 'team-lost-answer';
    let lose = 1;
    const flaky: PaymentProvider = {
      ...sandbox,
      async charge(request) {
        const charge = await sandbox.charge(request);
        if (lose-- > 0) throw new PaymentProviderUnavailable('timed out waiting for the provider');
        return charge;
      },
    };
    const activities = createBillingActivities({ db: testDb.db, payments: { sandbox: flaky } });
    const invoice = await teamWithRenewal(teamId, activities);
    const collect = () => activities.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card('pm_card_visa'), at });

    const error = await collect().catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'PaymentProviderUnavailable', nonRetryable: false });
    expect(await moneyOf(teamId)).toMatchObject({ invoice: { status: 'open' }, ...nothingApplied });

    await expect(collect()).resolves.toMatchObject({ status: 'paid', charged: 7994 });
    expect(await moneyOf(teamId)).toEqual(paidOnce);
  });

  test('the provider charged and the ledger write failed: nothing half-written, and the retry records the one charge', async () => {
    const teamId = 'team-ledger-crash';
    const invoice = await teamWithRenewal(teamId);
    // Fails this team's first payment insert, after the balance and credit uses of the same transaction.
    await testDb.db.raw(`
      CREATE SEQUENCE crash_once;
      CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.team_id = '${teamId}' AND nextval('crash_once') = 1 THEN RAISE EXCEPTION 'injected: ledger write failed'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER crash_once BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION crash_once();`);
    const collect = () => billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card('pm_card_visa'), at });

    await expect(collect()).rejects.toThrow(/injected/);
    expect(await moneyOf(teamId)).toMatchObject({ invoice: { status: 'open' }, charges: paidOnce.charges, ...nothingApplied });

    await expect(collect()).resolves.toMatchObject({ status: 'paid' });
    expect(await moneyOf(teamId)).toEqual(paidOnce);
  });
});

describe('200 concurrent calls for one key', () => {
  const many = <T>(call: () => Promise<T>) => Promise.all(Array.from({ length: 200 }, call));

  test('collectInvoice makes one charge and one payment, and every caller gets the same answer', async () => {
    const teamId = 'team-concurrent';
    const invoice = await teamWithRenewal(teamId);
    const results = await many(() => billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card('pm_card_visa'), at }));
    expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    expect(await moneyOf(teamId)).toEqual(paidOnce);
  }, 30_000);

  test('issueInvoice, creditTeamBalance and grantTeamCredits each write one row', async () => {
    const teamId = 'team-concurrent-writes';
    await billing.ensureTeam({ teamId, name: teamId, billingCountry: 'US' });
    const balance = await many(() => billing.creditTeamBalance({ key: `${teamId}:refund`, teamId, amount: 1006, reason: 'members_removed', on: '2026-06-20' }));
    const grants = await many(() => billing.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 3000, acquiredAt: '2026-05-06T00:00:00Z', source: 'referral' }));
    const invoices = await many(() => billing.issueInvoice({
      key: `${teamId}:2026-06-20:renewal`, teamId, reason: 'renewal', issuedOn: '2026-06-20', workflowId: 'w', runId: 'r', at,
      lines: [{ kind: 'period', description: 'Basic monthly × 10 members', amount: 12000 }],
    }));
    for (const results of [balance, grants, invoices]) expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
    const { db } = testDb;
    expect(await db('balance_transactions').where({ team_id: teamId })).toHaveLength(1);
    expect(await db('credit_grants').where({ team_id: teamId })).toHaveLength(1);
    expect(await db('credit_transactions').where({ team_id: teamId })).toHaveLength(1);
    expect(await db('invoice_lines').whereIn('invoice_id', db('invoices').where({ team_id: teamId }).select('id'))).toHaveLength(1);
  }, 30_000);
});

describe('invoice first', () => {
  async function seatInvoice(teamId: string, reason: 'seat_order' | 'seat_addition', amount: number) {
    await billing.ensureTeam({ teamId, name: teamId, billingCountry: 'US' }); // untaxed: O1's figures as they stand
    return billing.issueInvoice({
      key: `${teamId}:2026-07-02:${reason}`, teamId, reason, issuedOn: '2026-07-02', dueOn: '2026-08-01', workflowId: 'w', runId: 'r', at,
      lines: [{ kind: reason === 'seat_order' ? 'seat_order' : 'seats_added', description: `3 basic seats (${reason})`, amount, quantity: 3 }],
    });
  }

  test('an order paid by bank transfer is paid once; a wrong amount is refused', async () => {
    const teamId = 'team-seat-order';
    const invoice = await seatInvoice(teamId, 'seat_addition', prorate(10800, 3, 183, 365)); // O1: 16244
    const transfer = { invoiceId: invoice.invoiceId, providerPaymentId: 'wire-7', method: 'bank_transfer', at: '2026-07-10T00:00:00Z' } as const;
    await expect(billing.markInvoicePaidExternally({ ...transfer, amount: 16000 })).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    await expect(billing.markInvoicePaidExternally({ ...transfer, amount: 16244 })).resolves.toMatchObject({ status: 'paid', charged: 16244 });
    await expect(billing.markInvoicePaidExternally({ ...transfer, providerPaymentId: 'wire-8', amount: 16244 })).rejects.toMatchObject({ type: 'InvoiceClosed' });
    expect(await testDb.db('payments').where({ team_id: teamId }).select('provider', 'method', 'amount')).toEqual([{ provider: 'external', method: 'bank_transfer', amount: 16244 }]);
    await expect(billing.refundPayment({ key: 'wire-7:refund', paymentId: (await testDb.db('payments').where({ team_id: teamId }).first('id')).id, at })).rejects.toMatchObject({
      type: 'PaymentProviderNotConfigured',
    });
  });

  test('an order unpaid at its due date is void and cannot be paid', async () => {
    const invoice = await seatInvoice('team-void', 'seat_order', 32400);
    const voided = await billing.voidInvoice({ invoiceId: invoice.invoiceId, at: '2026-08-01T00:00:00Z' });
    expect(voided).toMatchObject({ status: 'void' });
    await expect(billing.voidInvoice({ invoiceId: invoice.invoiceId, at: '2026-08-01T00:00:00Z' })).resolves.toEqual(voided);
    await expect(
      billing.markInvoicePaidExternally({ invoiceId: invoice.invoiceId, providerPaymentId: 'wire-9', amount: 32400, method: 'bank_transfer', at: '2026-08-02T00:00:00Z' }),
    ).rejects.toMatchObject({ type: 'InvoiceClosed' });
  });
});

test('a refund goes back through the provider: partial, then the rest, never more than was paid', async () => {
  const teamId = 'team-refund';
  const invoice = await teamWithRenewal(teamId);
  const paid = await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: card('pm_card_visa'), at });
  const paymentId = paid.paymentId as string;
  await billing.refundPayment({ key: `${paymentId}:refund:1`, paymentId, amount: 2994, at });
  await expect(billing.refundPayment({ key: `${paymentId}:refund:2`, paymentId, amount: 5001, at })).rejects.toMatchObject({ type: 'InvalidInput' });
  await expect(billing.refundPayment({ key: `${paymentId}:refund:3`, paymentId, at })).resolves.toMatchObject({ amount: 5000 });
  const { db } = testDb;
  expect(await db('payments').where({ id: paymentId }).first('refunded_amount', 'status')).toEqual({ refunded_amount: 7994, status: 'refunded' });
  expect(await db('sandbox_charges').where({ id: paid.providerPaymentId }).first('refunded_amount', 'status')).toEqual({ refunded_amount: 7994, status: 'refunded' });
});
