// Facts once read back out of idempotency keys, read as columns (migration 20261202_027_key_facts): the collection
// attempt that paid an invoice, the business day of an audited change, and the plan a plan change moves to (its
// period line). Keys name events; they are not parsed for what the events were.
import { createTestDatabase, sandboxLedgerForFile, SANDBOX_VISA as visa } from '../support/database';

const ledger = sandboxLedgerForFile();
const declined = { provider: 'sandbox', paymentMethodId: 'pm_card_chargeDeclined' } as const;
const run = { workflowId: 'team:w', runId: 'run-1' };

async function eventData(teamId: string, type: string): Promise<Record<string, unknown>[]> {
  return (await ledger.testDb.db('webhook_events').where({ team_id: teamId, type }).orderBy('occurred_at').pluck('data')) as Record<string, unknown>[];
}

test('a plan change\'s subscription.changed names the plan and interval of its period line, whatever its key ends with', async () => {
  const teamId = 'team-facts-change';
  await ledger.billing.ensureTeam({ teamId, name: 'Facts', billingCountry: 'US' });
  // The key as the workflow writes it since keys carry the team's event sequence (`…:professional-month:n3`).
  await ledger.billing.issueInvoice({
    key: `${teamId}:plan_change:2026-05-25:professional-month:n3`, teamId, reason: 'plan_change', issuedOn: '2026-05-25', ...run, at: '2026-05-25T00:00:00Z',
    periodStart: '2026-05-25', periodEnd: '2026-06-25',
    lines: [
      { kind: 'period', description: 'Professional, monthly, 10 members, May 25 – Jun 25', amount: 24000, plan: 'professional', interval: 'month', quantity: 10 },
      { kind: 'unused_time', description: 'Unused time on Basic, 10 members, May 25 – Jun 20', amount: -10065 },
    ],
  });
  expect(await eventData(teamId, 'subscription.changed')).toEqual([expect.objectContaining({ plan: 'professional', interval: 'month', effectiveOn: '2026-05-25' })]);
});

test('the attempt that paid is a column: a first charge activates nothing on a renewal; a paid dunning retry (attempt 2) is payment_recovered', async () => {
  const teamId = 'team-facts-attempt';
  await ledger.billing.ensureTeam({ teamId, name: 'Facts', billingCountry: 'US' });
  const issue = (on: string) => ledger.billing.issueInvoice({
    key: `${teamId}:renewal:${on}:n1`, teamId, reason: 'renewal', issuedOn: on, ...run, at: `${on}T00:00:00Z`,
    lines: [{ kind: 'period', description: 'Basic, monthly, 1 member', amount: 1200, plan: 'basic', interval: 'month', quantity: 1 }],
  });
  const first = await issue('2026-05-20');
  await ledger.billing.collectInvoice({ invoiceId: first.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  const second = await issue('2026-06-20');
  await expect(ledger.billing.collectInvoice({ invoiceId: second.invoiceId, attempt: 1, paymentMethod: declined, at: '2026-06-20T00:00:01Z' })).rejects.toMatchObject({ type: 'PaymentDeclined' });
  await ledger.billing.collectInvoice({ invoiceId: second.invoiceId, attempt: 2, paymentMethod: visa, at: '2026-06-23T00:00:01Z' });
  expect(await ledger.testDb.db('invoices').where({ team_id: teamId }).orderBy('issued_on').pluck('charge_attempt')).toEqual([1, 2]);
  expect(await eventData(teamId, 'subscription.activated')).toEqual([expect.objectContaining({ reason: 'payment_recovered', invoiceId: second.invoiceId })]);
});

test('an audited change is recorded on its business day (a late-run scheduled event keeps its own day)', async () => {
  const teamId = 'team-facts-audit';
  await ledger.billing.ensureTeam({ teamId, name: 'Facts', billingCountry: 'US' });
  const facts = (plan: string) => ({ plan, interval: 'month', members: 50, trial: null, pendingChange: null }); // 50: over Free's capacity
  await ledger.billing.recordAudit({
    key: `${teamId}:2026-06-20:renewal:4`, teamId, kind: 'subscription_changed', ...run, at: '2026-06-22T08:00:00Z', on: '2026-06-20',
    payload: { cause: 'renewal', before: facts('basic'), after: facts('free') },
  });
  expect(await ledger.testDb.db('audit_events').where({ team_id: teamId }).pluck('on')).toEqual(['2026-06-20']);
  expect(await eventData(teamId, 'team.restricted')).toEqual([expect.objectContaining({ on: '2026-06-20', reason: 'over_free_capacity' })]);
});

test('the migration fills the columns from the keys the rows were written under, once', async () => {
  const before = await createTestDatabase({ migrate: false });
  const { db } = before;
  try {
    await db.migrate.latest();
    await db.migrate.down({ name: '20261202_027_key_facts' });
    await db('teams').insert({ id: 'team-old', name: 'Old' });
    const invoice = (id: string, charge_key: string | null) => ({ id, team_id: 'team-old', idempotency_key: id, reason: 'renewal', status: 'paid', issued_on: '2026-03-01', total: 1200, charged: 1200, number: `INV-2026-90000${id.length}${id.at(-1)}`, charge_key });
    await db('invoices').insert([invoice('a', 'a:attempt:1'), invoice('bb', 'bb:attempt:3'), invoice('ccc', 'ccc:external:pi_1'), invoice('dddd', null)]);
    await db('audit_events').insert([
      { team_id: 'team-old', idempotency_key: 'team-old:2026-03-01:renewal:7', kind: 'subscription_changed', at: '2026-03-02T23:30:00Z' },
      { team_id: 'team-old', idempotency_key: 'sweep:restart:team-old', kind: 'workflow_restarted', at: '2026-03-05T10:00:00Z' },
    ]);
    await db.migrate.latest();
    expect(await db('invoices').orderBy('id').select('id', 'charge_attempt')).toEqual([
      { id: 'a', charge_attempt: 1 }, { id: 'bb', charge_attempt: 3 }, { id: 'ccc', charge_attempt: null }, { id: 'dddd', charge_attempt: null },
    ]);
    expect(await db('audit_events').orderBy('id').pluck('on')).toEqual(['2026-03-01', '2026-03-05']);
  } finally {
    await before.drop();
  }
});
