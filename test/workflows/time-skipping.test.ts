import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { thirtyDayTimer } from './fixtures/timer-workflows';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/timer-workflows'), logger: quietBundler });
}, 120_000);

afterAll(() => env?.teardown());

const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

test('a 30-day timer completes on the time-skipping server, and workflow time moves 30 days', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'timer',
    workflowBundle,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(thirtyDayTimer, { taskQueue: 'timer', workflowId: 'thirty-day-timer' }),
  );
  expect(result.after - result.before).toBeGreaterThanOrEqual(30 * 86_400_000);
  expect(result.after - result.before).toBeLessThan(31 * 86_400_000);
});
