import { migrationSource } from '../../migrations';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ledgerTables = [
  'teams', 'invoices', 'invoice_lines', 'payments', 'payment_refunds', 'balance_transactions',
  'credit_grants', 'credit_transactions', 'notifications', 'audit_events',
  'sandbox_charges', 'sandbox_refunds', 'sandbox_decline_rules', 'document_sequences', 'credit_notes', 'credit_note_lines',
];

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase({ migrate: false });
});
afterAll(() => testDb.drop());

async function tables(): Promise<string[]> {
  const rows = await testDb.db('pg_tables').where({ schemaname: 'public' }).select('tablename');
  return rows.map((row: { tablename: string }) => row.tablename).filter((name: string) => !name.startsWith('knex_'));
}

test('the ledger migrations go up, down and up again on real Postgres', async () => {
  const [, ran] = await testDb.db.migrate.latest();
  expect(ran).toEqual(await migrationSource.getMigrations([]));
  expect(ran.slice(0, 2)).toEqual(['20261122_001_ledger', '20261122_002_collection']);
  const afterUp = await tables();
  expect(afterUp).toEqual(expect.arrayContaining(ledgerTables));

  await testDb.db.migrate.rollback(undefined, true);
  expect(await tables()).toEqual([]);

  await testDb.db.migrate.latest();
  expect((await tables()).sort()).toEqual(afterUp.sort());
});

test('a paid invoice whose payments do not add up to its total is refused by the database', async () => {
  const { db } = testDb;
  await db('teams').insert({ id: 'team-check', name: 'Check' });
  const invoice = {
    id: 'inv-check', team_id: 'team-check', idempotency_key: 'team-check:2026-05-20:renewal', number: 'INV-2026-000001', reason: 'renewal',
    status: 'paid', issued_on: '2026-05-20', total: 12000, balance_applied: 0, credits_applied: 3000, charged: 8999,
  };
  await expect(db('invoices').insert(invoice)).rejects.toThrow(/invoices_paid_adds_up/);
  await db('invoices').insert({ ...invoice, charged: 9000 });
  const [row] = await db('invoices').where({ id: 'inv-check' });
  expect(row).toMatchObject({ total: 12000, charged: 9000, issued_on: '2026-05-20' });
  await expect(db('invoices').insert({ ...invoice, id: 'inv-check-2', number: 'INV-2026-000002' })).rejects.toThrow(/idempotency_key/);
  await expect(db('invoices').insert({ ...invoice, charged: 9000, id: 'inv-check-3', idempotency_key: 'team-check:2026-06-20:renewal' })).rejects.toThrow(/invoices_number_unique/);
});
