// Three years of monthly renewals with a member change every month: the state survives every continue-as-new,
// each renewal charges what the domain says, and no run's history grows past 1,000 events.
import { addDays, addMonths, renewalInvoice, type Day, type MemberChange, type Period } from '../../src/domain';
import { addMembersUpdate, removeMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

test('36 monthly renewals anchored on the 31st, a member added or removed each month', async () => {
  const start: Day = '2026-01-31'; // anchor 31: Feb 28, Mar 31, Apr 30 …
  const team = await harness.startTeam({ start, members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });

  let members = 10;
  const expected: { on: Day; total: number }[] = [];
  for (let month = 0; month < 36; month++) {
    const period: Period = { start: addMonths(start, month, 31), end: addMonths(start, month + 1, 31) };
    const change: MemberChange = { on: addDays(period.start, 5), delta: month % 2 === 0 ? 2 : -1 };
    await team.advanceTo(change.on);
    const update = change.delta > 0 ? addMembersUpdate : removeMembersUpdate;
    await team.handle.executeUpdate(update, { args: [{ count: Math.abs(change.delta) }] });
    members += change.delta;
    const renewal = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period }, members, anchorDay: 31, memberChanges: [change] });
    expected.push({ on: period.end, total: renewal.invoice.total });
    await team.advanceTo(period.end);
  }

  const { invoices, balance } = await team.ledger();
  expect(invoices.map((i) => i.reason)).toEqual(['subscribe', ...expected.map(() => 'renewal')]);
  expect(invoices.slice(1).map((i) => ({ on: i.on, total: i.total }))).toEqual(expected);
  expect(invoices.every((i) => i.status === 'paid')).toBe(true);
  expect(balance.filter((b) => b.reason === 'member_removed')).toHaveLength(18);
  expect(await team.state()).toMatchObject({
    plan: 'basic', interval: 'month', status: 'active', members: 28, anchorDay: 31,
    period: { start: '2029-01-31', end: '2029-02-28' },
  });

  const runs = await team.runs();
  const eventCounts = runs.map((run) => run.history.events?.length ?? 0);
  console.log(`history events per run (${runs.length} runs): ${eventCounts.join(', ')}`);
  expect(runs.length).toBeGreaterThanOrEqual(37); // one run per period, plus the first
  expect(Math.max(...eventCounts)).toBeLessThan(1000);

  await team.recordHistory('monthly-subscribe', 0);
  await team.recordHistory('monthly-member-change-and-renewal', 1);
}, 600_000);
