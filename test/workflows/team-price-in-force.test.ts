// Section 14, price versions, for teams that take a price after its publication: "New subscriptions from that day get
// it. A team takes the price in force on the day it subscribes, starts a trial or changes plan or interval." On the
// time-skipping server with the real ledger: the workflow reads the price in force from the ledger's catalog where it
// fixes a price; the invoice charges it (the line records its version), the team holds it, and the quote shows it.
import { quoteAtPriceInForce, type QuoteRequest } from '../../src/api/quotes';
import type { Day, PaidPlan } from '../../src/domain';
import { publishPrice } from '../../src/ledger/pricing';
import { changePlanUpdate, startTrialUpdate, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

/** Basic monthly 1500 (catalog 1200) and Professional monthly 3000 (catalog 2400), both published 2026-06-01: version 2. */
async function publishJune(): Promise<void> {
  for (const [plan, amount] of [['basic', 1500], ['professional', 3000]] as [PaidPlan, number][]) {
    const { version } = await publishPrice(harness.db, { plan, interval: 'month', amount, publishedOn: '2026-06-01', grandfathered: false });
    expect(version.version).toBe(2); // publishing the same again is the same version
  }
}

/** The team's period lines, oldest first: day, reason, amount and the price version recorded. */
async function periodLines(team: TeamUnderTest): Promise<[Day, string, number, number | null][]> {
  const rows = (await harness.db('invoice_lines').join('invoices', 'invoices.id', 'invoice_lines.invoice_id')
    .where({ team_id: team.teamId, kind: 'period' }).orderBy('invoices.created_at')
    .select('invoices.issued_on as on', 'invoices.reason as reason', 'amount', 'price_version as version')) as { on: Day; reason: string; amount: number; version: number | null }[];
  return rows.map((row) => [row.on, row.reason, row.amount, row.version]);
}

/** What the API quotes for `request` now: the invoice's lines. */
async function quotedLines(team: TeamUnderTest, request: QuoteRequest) {
  const view = { ...(await team.state()), today: await team.today() };
  const { planChange } = await quoteAtPriceInForce(harness.db, view, request);
  return planChange?.invoice?.lines.map(({ description, amount, priceVersion }) => ({ description, amount, ...(priceVersion ? { priceVersion } : {}) })) ?? [];
}

test('a team subscribing after 1500 is published for Basic monthly is charged 1500 × 10 = 15000 at version 2, as quoted, and renews at it', async () => {
  await publishJune();
  const before = await harness.startTeam({ start: '2026-05-31', members: 10 });
  await before.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });

  const team = await harness.startTeam({ start: '2026-06-05', members: 10 });
  const quoted = await quotedLines(team, { plan: 'basic', interval: 'month' });
  expect(quoted).toEqual([{ description: 'Basic, monthly, 10 members, Jun 5 – Jul 5', amount: 15000, priceVersion: 2 }]);
  const charged = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(charged).toMatchObject({ total: 15000, charged: 15000, lines: quoted });
  expect((await team.state()).price).toEqual({ version: 2, amount: 1500 });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-07-05', total: 15000, lines: [{ amount: 15000, priceVersion: 2 }] });
  await team.advanceTo('2026-07-05');

  // The day before: version 1, held at its renewal (publication + 30 days is after it; no signal was sent in this test).
  expect(await periodLines(before)).toEqual([['2026-05-31', 'subscribe', 12000, 1], ['2026-06-30', 'renewal', 12000, 1]]);
  expect(await periodLines(team)).toEqual([['2026-06-05', 'subscribe', 15000, 2], ['2026-07-05', 'renewal', 15000, 2]]);
  await team.recordHistory('price-in-force-subscribe', 0);
});

test('a trial started after publication charges 1500 × 10 at trial end; a trial switched to Professional charges 3000 × 4', async () => {
  await publishJune();
  const team = await harness.startTeam({ start: '2026-06-03', members: 10 });
  const switched = await harness.startTeam({ start: '2026-06-03', members: 4 });
  await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await switched.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-06-17', reason: 'trial_end', total: 15000, lines: [{ priceVersion: 2 }] });

  await switched.advanceTo('2026-06-08');
  const quoted = await quotedLines(switched, { plan: 'professional' });
  expect(quoted).toEqual([{ description: 'Professional, monthly, 4 members, Jun 17 – Jul 17', amount: 12000, priceVersion: 2 }]);
  await switched.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] });
  expect(await switched.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-06-17', total: 12000, lines: quoted });

  await team.advanceTo('2026-06-17');
  expect(await periodLines(team)).toEqual([['2026-06-17', 'trial_end', 15000, 2]]);
  expect(await periodLines(switched)).toEqual([['2026-06-17', 'trial_end', 12000, 2]]);
  await team.recordHistory('price-in-force-trial', 0);
  await switched.recordHistory('price-in-force-trial-plan-change', 0);
});

test('Basic → Professional monthly after both were republished: the new period at 3000, the unused time credited at the 1500 held, as quoted', async () => {
  await publishJune();
  const team = await harness.startTeam({ start: '2026-06-10', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-20');

  const quoted = await quotedLines(team, { plan: 'professional' });
  // 3000 × 10 = 30000; −1500 × 10 × 20 days (Jun 20 – Jul 10) ÷ 30 = −10000
  expect(quoted).toEqual([
    { description: 'Professional, monthly, 10 members, Jun 20 – Jul 20', amount: 30000, priceVersion: 2 },
    { description: 'Unused time on Basic, 10 members, Jun 20 – Jul 10', amount: -10000 },
  ]);
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] });
  expect(change).toMatchObject({ timing: 'immediate', invoice: { total: 20000, lines: quoted } });
  expect((await team.state()).price).toEqual({ version: 2, amount: 3000 });
  await team.advanceTo('2026-07-20');
  expect(await periodLines(team)).toEqual([
    ['2026-06-10', 'subscribe', 15000, 2], ['2026-06-20', 'plan_change', 30000, 2], ['2026-07-20', 'renewal', 30000, 2],
  ]);
  await team.recordHistory('price-in-force-plan-change', 1);
});
