import { createTestDatabase, type TestDatabase } from '../support/database';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

const collectionTables = ['payment_refunds', 'sandbox_refunds', 'sandbox_decline_rules'];

async function has(table: string, column?: string): Promise<boolean> {
  return column ? testDb.db.schema.hasColumn(table, column) : testDb.db.schema.hasTable(table);
}

test('the collection migration goes down to the bare ledger and up again', async () => {
  const { db } = testDb;
  for (const table of collectionTables) expect(await has(table)).toBe(true);
  expect(await has('invoices', 'planned_credit_uses')).toBe(true);

  await db.migrate.down({ name: '20261122_002_collection' });
  for (const table of collectionTables) expect(await has(table)).toBe(false);
  expect(await has('invoices', 'planned_credit_uses')).toBe(false);
  expect(await has('payments', 'method')).toBe(false);
  expect(await has('invoices')).toBe(true);

  await db.migrate.latest();
  expect(await has('sandbox_charges', 'decline_code')).toBe(true);
});

test('a payment cannot be refunded beyond what was paid', async () => {
  const { db } = testDb;
  await db('teams').insert({ id: 'team-check', name: 'Check' });
  await db('payments').insert({
    id: 'pay-check', team_id: 'team-check', idempotency_key: 'pay-check', provider: 'sandbox', provider_payment_id: 'ch_1',
    amount: 9000, status: 'succeeded', paid_at: '2026-05-20T00:00:00Z',
  });
  await expect(db('payments').where({ id: 'pay-check' }).update({ refunded_amount: 9001 })).rejects.toThrow(/payments_refund_in_range/);
});
