import { listLedgerSubscriptions } from '../../src/activities/sweep-ledger';
import { addDays, describePeriodCharge, describeMembersAdded, type Day } from '../../src/domain';
import { createTestDatabase, type TestDatabase } from '../support/database';

// What the renewal sweep reads of each team's latest period invoice: the plan, interval and members of its period
// line, from columns that migration 012 added and filled in from the lines' descriptions written before it.
const FACTS = '20261122_012_period_line_facts';
const today: Day = '2026-06-01';
const period = { start: '2026-05-20', end: '2026-06-20' };

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

async function periodInvoice(teamId: string, lines: Record<string, unknown>[]): Promise<void> {
  const { db } = testDb;
  await db('teams').insert({ id: teamId, name: `Team ${teamId}` });
  await db('invoices').insert({
    id: `inv_${teamId}`, team_id: teamId, idempotency_key: `${teamId}:renewal:${period.start}`, number: `INV-hand-${teamId}`, reason: 'renewal', status: 'paid',
    issued_on: period.start, period_start: period.start, period_end: period.end, total: 0,
  });
  await db('invoice_lines').insert(lines.map((line, i) => ({ invoice_id: `inv_${teamId}`, position: i + 1, amount: 0, ...line })));
}

const facts = (teamId: string) =>
  testDb.db('invoice_lines').where({ invoice_id: `inv_${teamId}` }).orderBy('position').select('kind', 'plan', 'interval', 'quantity');

test('lines written before the migration get their plan, interval and members from their description, once', async () => {
  await testDb.db.migrate.down({ name: FACTS });
  expect(await testDb.db.schema.hasColumn('invoice_lines', 'plan')).toBe(false);
  await periodInvoice('annual', [{ kind: 'period', description: describePeriodCharge('professional', 'year', 12, { start: period.start, end: addDays(period.start, 365) }) }]);
  await periodInvoice('renewed', [
    { kind: 'period', description: describePeriodCharge('basic', 'month', 1, period), quantity: 1 },
    { kind: 'members_added', description: describeMembersAdded('basic', 2, '2026-05-01', 19, 30) },
  ]);
  await periodInvoice('worded', [{ kind: 'period', description: 'Basic plan for 10 people' }]);

  await testDb.db.migrate.latest();
  expect(await facts('annual')).toEqual([{ kind: 'period', plan: 'professional', interval: 'year', quantity: 12 }]);
  expect(await facts('renewed')).toEqual([
    { kind: 'period', plan: 'basic', interval: 'month', quantity: 1 },
    { kind: 'members_added', plan: null, interval: null, quantity: null },
  ]);
  expect(await facts('worded')).toEqual([{ kind: 'period', plan: null, interval: null, quantity: null }]);
});

test('the sweep reads the columns, whatever the wording; a period line without them is unreadable, not guessed', async () => {
  // Written after the migration, in a wording nobody parses.
  await periodInvoice('reworded', [{ kind: 'period', description: 'Your Basic subscription (4 seats)', plan: 'basic', interval: 'month', quantity: 4 }]);
  const page = await listLedgerSubscriptions(testDb.db, { today, after: '', limit: 10 });
  expect(page.subscriptions.map(({ teamId, plan, interval, members }) => ({ teamId, plan, interval, members }))).toEqual([
    { teamId: 'annual', plan: 'professional', interval: 'year', members: 12 },
    { teamId: 'renewed', plan: 'basic', interval: 'month', members: 1 },
    { teamId: 'reworded', plan: 'basic', interval: 'month', members: 4 },
  ]);
  expect(page.unreadable).toEqual(['worded']);
  expect(page.last).toBe('worded');
});
