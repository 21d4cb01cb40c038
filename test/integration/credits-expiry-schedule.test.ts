import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { ensureCreditExpirySchedule } from '../../src/infra/schedules';
import type { TestDatabase } from '../support/database';
import { startDevServerWorker, waitFor, type DevServerWorker } from '../support/dev-server-worker';

// The credit-expiry Schedule on the integration project's Temporal dev server (the time-skipping server has no
// Schedules), run by a real worker against a database of its own.
let testDb: TestDatabase;
let client: Client;
let dev: DevServerWorker;
const suffix = randomBytes(4).toString('hex');
const taskQueue = `credit-expiry-${suffix}`;
const scheduleId = `credit-expiry-${suffix}`;

beforeAll(async () => {
  dev = await startDevServerWorker(taskQueue);
  ({ testDb, client } = dev);
}, 120_000);

afterAll(async () => {
  await client?.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await dev?.close();
});

test('created twice, it is one schedule, with its overlap policy and catch-up window set', async () => {
  const first = await ensureCreditExpirySchedule(client, { taskQueue, scheduleId });
  const second = await ensureCreditExpirySchedule(client, { taskQueue, scheduleId });
  expect([first.created, second.created]).toEqual([true, false]);
  const description = await second.handle.describe();
  expect(description.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 86_400_000 });
  expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'creditExpirySweep', taskQueue });
});

test('triggered on demand, it expires a grant past its expiry and writes the `expired` history row', async () => {
  await testDb.db('credit_grants').insert({
    id: 'cg_old', user_id: 'frank', idempotency_key: 'referral:old-newcomer', source: 'referral:team',
    amount: 1000, remaining: 1000, acquired_at: '2020-03-01T00:00:00Z', expires_at: '2023-12-31T23:59:59Z',
  });
  const { handle } = await ensureCreditExpirySchedule(client, { taskQueue, scheduleId });
  await handle.trigger();

  const started = await waitFor(async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId);
  const result: unknown = await client.workflow.getHandle(started).result();
  expect(result).toEqual({ grants: 1, amount: 1000 });
  expect(await testDb.db('credit_grants').where({ id: 'cg_old' }).first('remaining')).toEqual({ remaining: 0 });
  expect(await testDb.db('credit_transactions').where({ grant_id: 'cg_old' }).select('kind', 'amount', 'user_id', 'idempotency_key')).toEqual([
    { kind: 'expired', amount: 1000, user_id: 'frank', idempotency_key: 'expiry:cg_old' },
  ]);
}, 60_000);
