// Section 14 for deferred changes (issue 23): "A team takes the price in force on the day it ... changes plan or
// interval." A tier down or an annual → monthly switch takes effect at the period's end, so the renewal that applies
// it charges the price in force that day for the new plan and interval (read from the ledger's catalog), the team
// holds that version, and no 30-day notice applies. On the time-skipping server with the real ledger: the renewal's
// charge, the upcoming invoice and the quote, each asked as the API asks them.
import { pendingChangePriceInForce, quoteAtPriceInForce, type QuoteRequest } from '../../src/api/quotes';
import type { Day, PriceVersion } from '../../src/domain';
import { priceVersions, publishPrice } from '../../src/ledger/pricing';
import { changePlanUpdate, pricePublishedSignal, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(180_000);

/** Basic monthly 1500 (catalog 1200), published on the team's today, 2026-06-01 (version 2, the same in every test), and told to the team. */
async function publishBasicMonthly(team: TeamUnderTest): Promise<void> {
  expect(await team.today()).toBe('2026-06-01');
  const { version } = await publishPrice(harness.db, { plan: 'basic', interval: 'month', amount: 1500, publishedOn: '2026-06-01', grandfathered: false });
  expect(version.version).toBe(2);
  await tell(team, version);
}

/** The signal the fan-out sends (a team on another plan is not even paged; the simulation tells every team). */
async function tell(team: TeamUnderTest, version: PriceVersion): Promise<void> {
  await team.handle.signal(pricePublishedSignal, version);
  await team.settled(await team.today());
}

/** The team's period lines, oldest first: day, reason, amount and the price version recorded. */
async function periodLines(team: TeamUnderTest): Promise<[Day, string, number, number | null][]> {
  const rows = (await harness.db('invoice_lines').join('invoices', 'invoices.id', 'invoice_lines.invoice_id')
    .where({ team_id: team.teamId, kind: 'period' }).orderBy('invoices.created_at')
    .select('invoices.issued_on as on', 'invoices.reason as reason', 'amount', 'price_version as version')) as { on: Day; reason: string; amount: number; version: number | null }[];
  return rows.map((row) => [row.on, row.reason, row.amount, row.version]);
}

/** The upcoming invoice as GET /v1/teams/{teamId}/upcoming-invoice asks it: with the pending change's price in force on its day. */
async function upcoming(team: TeamUnderTest) {
  const { pendingChange } = await team.state();
  return team.handle.query(upcomingInvoiceQuery, await pendingChangePriceInForce(harness.db, pendingChange));
}

async function quoted(team: TeamUnderTest, request: QuoteRequest) {
  const { planChange } = await quoteAtPriceInForce(harness.db, { ...(await team.state()), today: await team.today() }, request);
  return planChange && { timing: planChange.timing, pendingChange: planChange.pendingChange, pendingPrice: planChange.pendingPrice };
}

const notices = (team: TeamUnderTest) => harness.db('notifications').where({ team_id: team.teamId, kind: 'price_change_notice' }).select('on', 'payload');

test('D1 after 1500 is published for Basic monthly: the tier down at period end charges 10 × 1500 = 15000 at version 2, as previewed, with no notice', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'professional', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  const pendingChange = { plan: 'basic', interval: 'month', effectiveOn: '2026-06-20' };
  expect(await quoted(team, { plan: 'basic' })).toEqual({ timing: 'deferred', pendingChange, pendingPrice: { version: 1, amount: 1200 } });
  expect(await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic' }] })).toMatchObject({ timing: 'deferred', pendingChange });

  await team.advanceTo('2026-06-01');
  await publishBasicMonthly(team);
  // Section 14: the Basic price is taken as at a change of plan, on the renewal day: no 30-day notice, nothing scheduled.
  expect(await notices(team)).toEqual([]);
  expect((await team.state()).priceChange).toBeUndefined();
  expect(await quoted(team, { plan: 'basic' })).toEqual({ timing: 'deferred', pendingChange, pendingPrice: { version: 2, amount: 1500 } });
  const preview = await upcoming(team);
  expect(preview).toMatchObject({ on: '2026-06-20', reason: 'renewal', total: 15000, lines: [{ description: 'Basic, monthly, 10 members, Jun 20 – Jul 20', amount: 15000, priceVersion: 2 }] });

  await team.advanceTo('2026-06-20');
  const [renewal] = (await harness.db('invoices').where({ team_id: team.teamId, issued_on: '2026-06-20', reason: 'renewal' }).select('total')) as { total: number }[];
  expect(renewal?.total).toBe(preview?.total);
  expect(await team.state()).toMatchObject({ plan: 'basic', interval: 'month', pendingChange: null, price: { version: 2, amount: 1500 } });
  // A fan-out reaching the team after it moved to Basic: it holds that version already, so nothing is scheduled twice.
  const v2 = (await priceVersions(harness.db, { plan: 'basic', interval: 'month' })).find((v) => v.version === 2)!;
  await tell(team, v2);
  expect(await notices(team)).toEqual([]);
  await team.advanceTo('2026-07-20');
  expect(await periodLines(team)).toEqual([
    ['2026-05-20', 'subscribe', 24000, 1], ['2026-06-20', 'renewal', 15000, 2], ['2026-07-20', 'renewal', 15000, 2],
  ]);
  await team.recordHistory('deferred-change-price-in-force-tier-down', 1);
});

test('S2 after 1500 is published for Basic monthly: the annual → monthly switch at term end charges 10 × 1500 = 15000 at version 2, as previewed', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'year' }] });
  await team.advanceTo('2026-06-01');
  await publishBasicMonthly(team); // Basic annual is not that price: nothing for this team
  await team.advanceTo('2026-08-01');
  const pendingChange = { plan: 'basic', interval: 'month', effectiveOn: '2027-05-20' };
  expect(await quoted(team, { interval: 'month' })).toEqual({ timing: 'deferred', pendingChange, pendingPrice: { version: 2, amount: 1500 } });
  expect(await team.handle.executeUpdate(changePlanUpdate, { args: [{ interval: 'month' }] })).toMatchObject({ timing: 'deferred', pendingChange });
  expect(await upcoming(team)).toMatchObject({ on: '2027-05-20', reason: 'renewal', total: 15000, lines: [{ amount: 15000, priceVersion: 2 }] });

  await team.advanceTo('2027-05-20');
  expect(await periodLines(team)).toEqual([['2026-05-20', 'subscribe', 108000, 1], ['2027-05-20', 'renewal', 15000, 2]]);
  expect(await team.state()).toMatchObject({ plan: 'basic', interval: 'month', price: { version: 2, amount: 1500 } });
  expect(await notices(team)).toEqual([]);
  await team.recordHistory('deferred-change-price-in-force-annual-to-monthly', 1);
});
