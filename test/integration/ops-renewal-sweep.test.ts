import { ScheduleOverlapPolicy, type Client, type ScheduleHandle } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import type { RenewalSweepTotals } from '../../src/activities/sweep';
import { addDays, dayOf, describePeriodCharge, instantFromEpochMs } from '../../src/domain';
import { ensureRenewalSweepSchedule, renewalSweepSchedule } from '../../src/infra/schedules';
import { recordWorkflowHistory } from '../support/record-history';
import { metrics } from '../../src/observability/metrics';
import { Plan, SubscriptionStatus, TeamId } from '../../src/workflows/search-attributes';
import { stateQuery, subscribeUpdate, teamWorkflowId, type TeamSubscriptionInput } from '../../src/workflows/team-subscription-messages';
import type { TestDatabase } from '../support/database';
import { startDevServerWorker, waitFor, type DevServerWorker } from '../support/dev-server-worker';

// The renewal sweep's Schedule on the integration project's Temporal dev server (the time-skipping server has no
// Schedules), run by a real worker against a database of its own: a team whose workflow was terminated is started
// again from the ledger, on demand (trigger) and by backfill; a team whose workflow disagrees with the ledger is
// reported.
let testDb: TestDatabase;
let client: Client;
let dev: DevServerWorker;
const suffix = randomBytes(4).toString('hex');
const taskQueue = `renewal-sweep-${suffix}`;
const scheduleId = `renewal-sweep-${suffix}`;
const paying = `paying-${suffix}`;
const drifting = `drifting-${suffix}`;
const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;
const today = dayOf(instantFromEpochMs(Date.now()));

beforeAll(async () => {
  dev = await startDevServerWorker(taskQueue);
  ({ testDb, client } = dev);
}, 120_000);

afterAll(async () => {
  await client?.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  for (const teamId of [paying, drifting]) await client?.workflow.getHandle(teamWorkflowId(teamId)).terminate('test done').catch(() => undefined);
  await dev?.close();
});

function startTeam(teamId: string, paymentMethod = true) {
  const input: TeamSubscriptionInput = { teamId, team: { name: `Team ${teamId}`, billingCountry: 'US' }, members: 3, ...(paymentMethod ? { paymentMethod: VISA } : {}) };
  return client.workflow.start('teamSubscription', {
    taskQueue, workflowId: teamWorkflowId(teamId), args: [input], typedSearchAttributes: [{ key: TeamId, value: teamId }],
  });
}

async function sweepRun(handle: ScheduleHandle, after: Set<string>): Promise<RenewalSweepTotals> {
  const workflowId = await waitFor(async () => (await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId).find((id) => !after.has(id)));
  after.add(workflowId);
  const totals = await client.workflow.getHandle(workflowId).result();
  if (totals.restarted > 0) await recordWorkflowHistory(client, workflowId, 'renewal-sweep-restarted-one');
  return totals;
}

const runs = new Set<string>();

test('an existing schedule whose policies differ is updated; one in line is left as it is', async () => {
  const definition = renewalSweepSchedule({ taskQueue, scheduleId });
  await client.schedule.create({
    scheduleId, spec: definition.spec, policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 minute' },
    action: { type: 'startWorkflow', workflowType: 'renewalSweep', taskQueue, workflowId: 'old' },
  });
  const updated = await ensureRenewalSweepSchedule(client, { taskQueue, scheduleId });
  const again = await ensureRenewalSweepSchedule(client, { taskQueue, scheduleId });
  expect([updated.created, updated.updated, again.created, again.updated]).toEqual([false, true, false, false]);
  const description = await again.handle.describe();
  expect(description.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 86_400_000, pauseOnFailure: false });
  expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'renewalSweep', taskQueue, workflowId: `${scheduleId}-run` });
  expect(description.spec.calendars).toHaveLength(1);
}, 60_000);

test('each invoice records the workflow run that charged it and what its period line bills, and the workflow carries its search attributes', async () => {
  const handle = await startTeam(paying);
  const invoice = await handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(invoice.status).toBe('paid');
  expect(await testDb.db('invoices').where({ id: invoice.invoiceId }).first('workflow_id', 'run_id')).toEqual({
    workflow_id: teamWorkflowId(paying), run_id: handle.firstExecutionRunId,
  });
  // Its period line says what it bills in columns, which the sweep reads back.
  expect(await testDb.db('invoice_lines').where({ invoice_id: invoice.invoiceId, kind: 'period' }).select('plan', 'interval', 'quantity')).toEqual([
    { plan: 'basic', interval: 'month', quantity: 3 },
  ]);
  const listed = await waitFor(async () => {
    for await (const execution of client.workflow.list({ query: `SubscriptionStatus = "active" AND TeamId = "${paying}"` })) return execution;
    return undefined;
  });
  expect(listed.typedSearchAttributes.get(SubscriptionStatus)).toBe('active');
  // The run the subscription continued as new into upserts nothing at its start (carry-published): the server carried
  // the attributes the first run upserted over to it.
  const current = await waitFor(async () => {
    const description = await client.workflow.getHandle(teamWorkflowId(paying)).describe();
    return description.runId === handle.firstExecutionRunId ? undefined : description;
  });
  expect([current.typedSearchAttributes.get(TeamId), current.typedSearchAttributes.get(SubscriptionStatus), current.typedSearchAttributes.get(Plan)]).toEqual([paying, 'active', 'basic']);
  const events = await waitFor(async () => {
    const history = (await client.workflow.getHandle(teamWorkflowId(paying), current.runId).fetchHistory()).events ?? [];
    return history.some((event) => event.timerStartedEventAttributes) ? history : undefined; // its first task done
  });
  expect(events.filter((event) => event.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
}, 60_000);

test('triggered on demand, the sweep starts a terminated team workflow again from the ledger and reports a disagreeing one', async () => {
  // A team whose workflow is on Free while the ledger has it paying for Basic (an invoice written by hand).
  await startTeam(drifting, false);
  await waitFor(async () => (await testDb.db('teams').where({ id: drifting }).first('id')) as { id: string } | undefined);
  const period = { start: today, end: addDays(today, 30) };
  await testDb.db('invoices').insert({
    id: `inv_${suffix}`, team_id: drifting, idempotency_key: `${drifting}:subscribe:${today}`, number: `INV-hand-${suffix}`, reason: 'subscribe', status: 'paid',
    issued_on: today, period_start: period.start, period_end: period.end, total: 3600, charged: 3600,
  });
  await testDb.db('invoice_lines').insert({
    invoice_id: `inv_${suffix}`, position: 1, kind: 'period', description: describePeriodCharge('basic', 'month', 3, period), amount: 3600,
    plan: 'basic', interval: 'month', quantity: 3,
  });
  const before = await client.workflow.getHandle(teamWorkflowId(paying)).query(stateQuery);
  await client.workflow.getHandle(teamWorkflowId(paying)).terminate('lost by an operator');

  const { handle } = await ensureRenewalSweepSchedule(client, { taskQueue, scheduleId });
  await handle.trigger();
  expect(await sweepRun(handle, runs)).toEqual({ checked: 2, inLine: 0, busy: 0, drift: 1, restarted: 1, unrecoverable: 0, unreadable: 0 });

  const restarted = client.workflow.getHandle(teamWorkflowId(paying));
  expect((await restarted.describe()).status.name).toBe('RUNNING');
  const after = await restarted.query(stateQuery);
  expect(after).toMatchObject({ plan: 'basic', interval: 'month', status: 'active', period: before.period, members: 3, hasPaymentMethod: true });
  // The sweep's own audit rows (the team workflows write `subscription_changed` rows beside them).
  const audit = await testDb.db('audit_events').whereIn('kind', ['subscription_drift', 'subscription_workflow_restarted']).orderBy('team_id').select('team_id', 'kind', 'payload');
  expect(audit).toEqual([
    expect.objectContaining({ team_id: drifting, kind: 'subscription_drift', payload: expect.objectContaining({ drift: ['plan', 'period', 'status'] }) }),
    expect.objectContaining({ team_id: paying, kind: 'subscription_workflow_restarted' }),
  ]);
  const drift = await metrics().sweepDrift.get();
  expect(drift.values).toEqual(expect.arrayContaining([expect.objectContaining({ labels: { kind: 'plan' }, value: 1 }), expect.objectContaining({ labels: { kind: 'workflow_missing' }, value: 1 })]));

  // A second run finds the restarted workflow in line. A schedule names each run's workflow by its start time to the
  // second, so a second trigger within the same second would name the same workflow and start nothing new.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await handle.trigger();
  expect(await sweepRun(handle, runs)).toMatchObject({ checked: 2, inLine: 1, drift: 1, restarted: 0 });
}, 120_000);

test('backfilled over the last day, the sweep repairs a team workflow terminated again', async () => {
  await client.workflow.getHandle(teamWorkflowId(paying)).terminate('lost again');
  const { handle } = await ensureRenewalSweepSchedule(client, { taskQueue, scheduleId });
  // 24 hours hold one 03:00 UTC: one sweep.
  await handle.backfill([{ start: new Date(Date.now() - 25 * 3_600_000), end: new Date(Date.now() - 3_600_000), overlap: ScheduleOverlapPolicy.ALLOW_ALL }]);
  expect(await sweepRun(handle, runs)).toMatchObject({ checked: 2, restarted: 1, drift: 1 });
  const view = await client.workflow.getHandle(teamWorkflowId(paying)).query(stateQuery);
  expect(view).toMatchObject({ plan: 'basic', status: 'active', hasPaymentMethod: true });
  expect(await testDb.db('audit_events').where({ team_id: paying, kind: 'subscription_workflow_restarted' }).count({ n: '*' })).toEqual([{ n: 2 }]);
}, 120_000);
