// Section 14, price versions, on the time-skipping server with the real ledger: a publication reaches a running team
// by signal; it is told on the publication day, the preview shows the price each renewal will charge, and the
// first renewal at least 30 days later charges the new version (recorded on the line). A grandfathered version
// changes nothing for existing subscribers.
import { publishPrice } from '../../src/ledger/pricing';
import { pricePublishedSignal, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

async function publish(team: TeamUnderTest, plan: 'basic' | 'professional', amount: number, grandfathered: boolean): Promise<void> {
  const { version } = await publishPrice(harness.db, { plan, interval: 'month', amount, publishedOn: await team.today(), grandfathered });
  await team.handle.signal(pricePublishedSignal, version);
  await team.settled(await team.today());
}

const linesOf = async (teamId: string) =>
  (await harness.db('invoice_lines').join('invoices', 'invoices.id', 'invoice_lines.invoice_id').where({ team_id: teamId, kind: 'period' })
    .orderBy('invoices.issued_on').select('invoices.issued_on as on', 'amount', 'price_version as version')) as { on: string; amount: number; version: number | null }[];

test('P1: 1500 published 2026-06-01: notice that day; Jun 20 (19 days later) 12000 at version 1; Jul 20 15000 at version 2', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-01');
  await publish(team, 'basic', 1500, false);

  const notices = await harness.db('notifications').where({ team_id: team.teamId, kind: 'price_change_notice' }).select('on', 'payload');
  expect(notices).toEqual([{ on: '2026-06-01', payload: { plan: 'basic', interval: 'month', from: 1200, to: 1500, version: expect.any(Number), effectiveOn: '2026-07-20' } }]);
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-06-20', total: 12000 }); // 2026-06-01 + 30 = 07-01 > 06-20
  await team.advanceTo('2026-06-20');
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-07-20', total: 15000, lines: [{ amount: 15000, priceVersion: expect.any(Number) }] });
  await team.advanceTo('2026-07-20');
  const lines = await linesOf(team.teamId);
  expect(lines.map((l) => [l.on, l.amount])).toEqual([['2026-05-20', 12000], ['2026-06-20', 12000], ['2026-07-20', 15000]]);
  expect(lines[1]?.version).toBe(1);
  expect(lines[2]?.version).toBe(notices[0]?.payload.version);
  await team.recordHistory('price-published-notice-and-migrate', 1);
});

test('a grandfathered version: no notice, and the renewals keep the price; a team on another plan is not told', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 2 });
  const pro = await harness.startTeam({ start: '2026-05-20', members: 2 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'professional', interval: 'month' }] });
  await pro.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'professional', interval: 'year' }] });
  await team.advanceTo('2026-05-21');
  await publish(team, 'professional', 3000, true);
  await pro.handle.signal(pricePublishedSignal, { plan: 'professional', interval: 'month', version: 99, amount: 3000, publishedOn: '2026-05-21', grandfathered: false });
  await team.advanceTo('2026-07-20');
  expect((await linesOf(team.teamId)).map((l) => l.amount)).toEqual([4800, 4800, 4800]); // 2400 × 2, every month
  expect(await harness.db('notifications').whereIn('team_id', [team.teamId, pro.teamId]).where({ kind: 'price_change_notice' })).toEqual([]);
});
