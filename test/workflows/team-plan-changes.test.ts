// Section 6 (plan changes, pending changes) on the time-skipping server, with the real ledger.
import {
  cancelUpdate,
  changePlanUpdate,
  subscribeUpdate,
  withdrawPendingChangeUpdate,
  type PlanSelection,
} from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

/** 10 members, subscribed on 2026-05-20 (anchor the 20th). */
async function subscribedTeam(selection: PlanSelection): Promise<TeamUnderTest> {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [selection] });
  return team;
}

test('U1: basic → professional monthly on 2026-05-25: 24000 − 10065 = 13935 now, a new period to 2026-06-25, then 24000', async () => {
  const team = await subscribedTeam({ plan: 'basic', interval: 'month' });
  await team.advanceTo('2026-05-25');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] });
  expect(change).toMatchObject({
    timing: 'immediate', period: { start: '2026-05-25', end: '2026-06-25' }, pendingChange: null,
    invoice: {
      key: `${team.teamId}:plan_change:2026-05-25:professional-month:n2`, reason: 'plan_change', total: 13935, charged: 13935, status: 'paid',
      lines: [
        { kind: 'period', description: 'Professional, monthly, 10 members, May 25 – Jun 25', amount: 24000 },
        { kind: 'unused_time', description: 'Unused time on Basic, 10 members, May 25 – Jun 20', amount: -10065 },
      ],
    },
  });
  await team.advanceTo('2026-06-25');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-05-20', 'subscribe', 12000],
    ['2026-05-25', 'plan_change', 13935],
    ['2026-06-25', 'renewal', 24000],
  ]);
  expect(await team.state()).toMatchObject({ plan: 'professional', anchorDay: 25, periodEnd: '2026-07-25' });
  await team.recordHistory('upgrade-now', 1);
});

test('U2: basic → professional annual on 2026-05-25: 216000 − 106521 = 109479, a new term from 2026-05-25', async () => {
  const team = await subscribedTeam({ plan: 'basic', interval: 'year' });
  await team.advanceTo('2026-05-25');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] });
  expect(change).toMatchObject({ timing: 'immediate', period: { start: '2026-05-25', end: '2027-05-25' } });
  const { invoices } = await team.ledger();
  expect(invoices[1]).toMatchObject({ reason: 'plan_change', total: 109479, status: 'paid' });
  expect(invoices[1]!.lines.map((l) => l.amount)).toEqual([216000, -106521]);
});

test('S1: basic monthly → annual on 2026-05-25: 108000 − 10065 = 97935, a new term 2026-05-25 → 2027-05-25', async () => {
  const team = await subscribedTeam({ plan: 'basic', interval: 'month' });
  await team.advanceTo('2026-05-25');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ interval: 'year' }] });
  expect(change).toMatchObject({ timing: 'immediate', period: { start: '2026-05-25', end: '2027-05-25' }, invoice: { total: 97935 } });
  const { invoices } = await team.ledger();
  expect(invoices[1]!.lines.map((l) => l.amount)).toEqual([108000, -10065]);
  expect(await team.state()).toMatchObject({ plan: 'basic', interval: 'year', periodEnd: '2027-05-25' });
});

test('S2: basic annual → monthly requested 2026-08-01: nothing now; on 2027-05-20 a monthly period, 1200 × 10', async () => {
  const team = await subscribedTeam({ plan: 'basic', interval: 'year' });
  await team.advanceTo('2026-08-01');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ interval: 'month' }] });
  expect(change).toMatchObject({ timing: 'deferred', pendingChange: { plan: 'basic', interval: 'month', effectiveOn: '2027-05-20' } });
  expect((await team.ledger()).invoices).toHaveLength(1);

  await team.advanceTo('2027-05-20');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-05-20', 'subscribe', 108000],
    ['2027-05-20', 'renewal', 12000],
  ]);
  expect(invoices[1]!.lines[0]!.description).toBe('Basic, monthly, 10 members, May 20 – Jun 20');
  expect(await team.state()).toMatchObject({ interval: 'month', periodEnd: '2027-06-20', pendingChange: null });
});

test('D1: professional → basic monthly on the 25th: nothing now, basic charged at the next renewal', async () => {
  const team = await subscribedTeam({ plan: 'professional', interval: 'month' });
  await team.advanceTo('2026-05-25');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic' }] });
  expect(change).toMatchObject({ timing: 'deferred', pendingChange: { plan: 'basic', interval: 'month', effectiveOn: '2026-06-20' } });
  expect(await team.state()).toMatchObject({ plan: 'professional' }); // features kept until then
  await team.advanceTo('2026-06-20');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-05-20', 'subscribe', 24000],
    ['2026-06-20', 'renewal', 12000],
  ]);
  expect(await team.state()).toMatchObject({ plan: 'basic', pendingChange: null });
});

test('a pending change can be replaced and withdrawn; the renewal then keeps the plan', async () => {
  const team = await subscribedTeam({ plan: 'professional', interval: 'month' });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic' }] });
  expect(await team.handle.executeUpdate(cancelUpdate)).toMatchObject({ plan: 'free', interval: 'month', effectiveOn: '2026-06-20' });
  expect(await team.handle.executeUpdate(withdrawPendingChangeUpdate)).toMatchObject({ plan: 'free', interval: 'month', effectiveOn: '2026-06-20' });
  await expect(team.handle.executeUpdate(withdrawPendingChangeUpdate)).rejects.toMatchObject({ cause: { type: 'no_pending_change' } });
  await team.advanceTo('2026-06-20');
  expect((await team.ledger()).invoices.map((i) => [i.reason, i.total])).toEqual([['subscribe', 24000], ['renewal', 24000]]);
});

test('an immediate change clears a pending one', async () => {
  const team = await subscribedTeam({ plan: 'professional', interval: 'month' });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic' }] });
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ interval: 'year' }] });
  expect(change).toMatchObject({ timing: 'immediate', pendingChange: null });
  expect(await team.state()).toMatchObject({ plan: 'professional', interval: 'year', pendingChange: null, periodEnd: '2027-05-25' });
});

test('a cancellation takes effect at period end: Free, downgraded_to_free, restricted over 4 members', async () => {
  const team = await subscribedTeam({ plan: 'basic', interval: 'month' });
  await team.advanceTo('2026-06-01');
  await team.handle.executeUpdate(cancelUpdate);
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'active' });
  await team.advanceTo('2026-06-20');
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => i.reason)).toEqual(['subscribe']);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-06-20', 'downgraded_to_free']]);
  expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', restricted: true, periodEnd: null });
});
