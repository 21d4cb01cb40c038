import { ApplicationFailure } from '@temporalio/common';
import { createBillingActivities, type BillingActivities, type InvoiceSummary } from '../../src/activities';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Every write is keyed by business facts: the same call twice writes one row and answers the same.
let testDb: TestDatabase;
let billing: BillingActivities;
const teamId = 'team-idem';
const at = '2026-06-20T08:00:00Z';
let renewal: InvoiceSummary;
let seatOrder: InvoiceSummary;
let unpaid: InvoiceSummary;

beforeAll(async () => {
  testDb = await createTestDatabase();
  billing = createBillingActivities({ db: testDb.db, payments: { sandbox: createSandboxProvider({ db: testDb.db }) }, now: () => new Date(at) });
  await billing.ensureTeam({ teamId, name: 'Idem', billingCountry: 'US' });
  const invoice = (key: string, reason: 'renewal' | 'seat_order', amount: number) =>
    billing.issueInvoice({
      key: `${teamId}:${key}`, teamId, reason, issuedOn: '2026-06-20', dueOn: '2026-07-20', workflowId: 'team:idem', runId: 'run-1', at,
      lines: [{ kind: reason === 'renewal' ? 'period' : 'seat_order', description: key, amount }],
    });
  renewal = await invoice('2026-06-20:renewal', 'renewal', 12000);
  seatOrder = await invoice('2026-06-20:seat_order', 'seat_order', 32400);
  unpaid = await invoice('2026-07-20:renewal', 'renewal', 12000);
});
afterAll(() => testDb.drop());

const visa = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;
const paymentOf = async (invoiceId: string) => ((await testDb.db('payments').where({ invoice_id: invoiceId }).first('id')) as { id: string }).id;

// [activity, the call, the table it writes, the rows it must leave there]
const calls: [string, () => Promise<unknown>, string, () => Record<string, unknown>][] = [
  ['ensureTeam', () => billing.ensureTeam({ teamId, name: 'Idem', billingCountry: 'US' }), 'teams', () => ({ id: teamId })],
  [
    'issueInvoice',
    () => billing.issueInvoice({
      key: `${teamId}:2026-06-20:renewal`, teamId, reason: 'renewal', issuedOn: '2026-06-20', workflowId: 'team:idem', runId: 'run-2', at,
      lines: [{ kind: 'period', description: '2026-06-20:renewal', amount: 12000 }],
    }),
    'invoices',
    () => ({ idempotency_key: `${teamId}:2026-06-20:renewal` }),
  ],
  ['collectInvoice', () => billing.collectInvoice({ invoiceId: renewal.invoiceId, attempt: 1, paymentMethod: visa, at }), 'payments', () => ({ invoice_id: renewal.invoiceId })],
  [
    'markInvoicePaidExternally',
    () => billing.markInvoicePaidExternally({ invoiceId: seatOrder.invoiceId, providerPaymentId: 'wire-2026-0042', amount: 32400, method: 'bank_transfer', at }),
    'payments',
    () => ({ invoice_id: seatOrder.invoiceId }),
  ],
  ['failInvoice', () => billing.failInvoice({ invoiceId: unpaid.invoiceId, at }), 'invoices', () => ({ id: unpaid.invoiceId, status: 'failed' })],
  [
    'creditTeamBalance',
    () => billing.creditTeamBalance({ key: `${teamId}:2026-06-20:members_removed`, teamId, amount: 1006, reason: 'members_removed', on: '2026-06-20' }),
    'balance_transactions',
    () => ({ idempotency_key: `${teamId}:2026-06-20:members_removed` }),
  ],
  [
    'grantTeamCredits',
    () => billing.grantTeamCredits({ key: `${teamId}:referral:user-9`, teamId, amount: 1000, acquiredAt: '2026-06-01T00:00:00Z', source: 'referral', userId: 'user-9' }),
    'credit_transactions',
    () => ({ team_id: teamId, kind: 'contributed' }),
  ],
  [
    'recordNotification',
    () => billing.recordNotification({ key: `${teamId}:2026-06-20:payment_failed`, teamId, kind: 'payment_failed', on: '2026-06-20', payload: { attempt: 1 } }),
    'notifications',
    () => ({ team_id: teamId }),
  ],
  [
    'recordAudit',
    () => billing.recordAudit({ key: `${teamId}:2026-06-20:plan_changed`, teamId, kind: 'plan_changed', payload: { to: 'professional' }, workflowId: 'team:idem', runId: 'run-1' }),
    'audit_events',
    () => ({ team_id: teamId }),
  ],
  [
    'refundPayment',
    async () => billing.refundPayment({ key: `${teamId}:2026-06-20:renewal:refund`, paymentId: await paymentOf(renewal.invoiceId), amount: 5000, at }),
    'payment_refunds',
    () => ({}),
  ],
];

test.each(calls)('%s twice writes one row and answers the same', async (_name, call, table, rows) => {
  const first = await call();
  const again = await call();
  expect(again).toEqual(first);
  expect(await testDb.db(table).where(rows())).toHaveLength(1);
});

test('the retries left the money where one call puts it', async () => {
  const { db } = testDb;
  expect(await db('sandbox_charges').where('idempotency_key', 'like', `${teamId}:%`).select('amount', 'refunded_amount')).toEqual([{ amount: 12000, refunded_amount: 5000 }]);
  expect(await db('payments').where({ invoice_id: renewal.invoiceId }).first('refunded_amount', 'status')).toEqual({ refunded_amount: 5000, status: 'partially_refunded' });
  expect(await db('invoices').where({ team_id: teamId }).orderBy('idempotency_key').select('idempotency_key', 'status')).toEqual([
    { idempotency_key: `${teamId}:2026-06-20:renewal`, status: 'paid' },
    { idempotency_key: `${teamId}:2026-06-20:seat_order`, status: 'paid' },
    { idempotency_key: `${teamId}:2026-07-20:renewal`, status: 'failed' },
  ]);
  expect(await billing.teamLedgerSummary({ teamId, at })).toEqual({ balance: 1006, credits: 1000 });
  expect(await db('audit_events').where({ team_id: teamId }).first('at')).toEqual({ at: new Date(at) });
});

test.each([
  ['creditTeamBalance', () => billing.creditTeamBalance({ key: `${teamId}:2026-06-20:members_removed`, teamId, amount: 1007, reason: 'members_removed', on: '2026-06-20' })],
  ['issueInvoice', () => billing.issueInvoice({
    key: `${teamId}:2026-06-20:renewal`, teamId, reason: 'renewal', issuedOn: '2026-06-20', workflowId: 'w', runId: 'r', at,
    lines: [{ kind: 'period', description: 'other', amount: 13200 }],
  })],
  ['refundPayment', async () => billing.refundPayment({ key: `${teamId}:2026-06-20:renewal:refund`, paymentId: await paymentOf(renewal.invoiceId), amount: 100, at })],
])('%s refuses a key reused for other facts, for good', async (_name, call) => {
  const error = await call().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'IdempotencyConflict', nonRetryable: true });
});

test('a write for a team the ledger does not know fails for good', async () => {
  await expect(
    billing.creditTeamBalance({ key: 'nobody:refund', teamId: 'nobody', amount: 100, reason: 'members_removed', on: '2026-06-20' }),
  ).rejects.toMatchObject({ type: 'UnknownTeam', nonRetryable: true });
});
