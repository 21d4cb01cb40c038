// The audit trail: one `audit_events` row per change of a team's subscription, keyed by business facts
// (team, day, what changed it, a per-team sequence carried across continue-as-new), on the time-skipping server.
import { addMembersUpdate, cancelUpdate, setPaymentMethodUpdate, subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('subscribe, add a member, cancel, period end: four audit rows, one per change, none for a request that changes nothing', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_visa' }] }); // not the subscription
  await team.advanceTo('2026-05-26');
  await team.handle.executeUpdate(cancelUpdate, { args: [] });
  await team.advanceTo('2026-06-20'); // the canceled period ends: Free

  const rows = (await harness.db('audit_events').where({ team_id: team.teamId }).orderBy('id').select({ key: 'idempotency_key' }, 'kind', 'payload', 'run_id')) as {
    key: string; kind: string; payload: { cause: string; before: Record<string, unknown>; after: Record<string, unknown> }; run_id: string;
  }[];
  expect(rows.map((r) => [r.key, r.kind, r.payload.cause])).toEqual([
    [`${team.teamId}:2026-05-20:subscribe:1`, 'subscription_changed', 'subscribe'],
    [`${team.teamId}:2026-05-25:add_members:2`, 'subscription_changed', 'add_members'],
    [`${team.teamId}:2026-05-26:cancel:3`, 'subscription_changed', 'cancel'],
    [`${team.teamId}:2026-06-20:renewal:4`, 'subscription_changed', 'renewal'],
  ]);
  expect(rows[0]!.payload).toMatchObject({ before: { plan: 'free', status: 'free', period: null }, after: { plan: 'basic', status: 'active', period: { start: '2026-05-20', end: '2026-06-20' } } });
  expect(rows[1]!.payload).toMatchObject({ before: { members: 3 }, after: { members: 4 } });
  expect(rows[2]!.payload).toMatchObject({ before: { pendingChange: null }, after: { pendingChange: { plan: 'free', effectiveOn: '2026-06-20' } } });
  expect(rows[3]!.payload).toMatchObject({ before: { plan: 'basic' }, after: { plan: 'free', status: 'free', period: null } });
  // Continue-as-new started a new run after the subscribe; the sequence went on, and the run ID is evidence only.
  expect(new Set(rows.map((r) => r.run_id)).size).toBeGreaterThan(1);
  await team.recordHistory('audit-events', 1);
});
