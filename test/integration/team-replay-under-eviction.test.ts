import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBillingActivities } from '../../src/activities';
import { ProblemError } from '../../src/api/problem';
import { teamWorkflows } from '../../src/api/team-workflows';
import { installQuietRuntime } from '../../src/infra/quiet-runtime';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createBillingWorker } from '../../src/worker';
import { stateQuery, subscribeUpdate } from '../../src/workflows';
import { createTestDatabase, SANDBOX_VISA, type TestDatabase } from '../support/database';
import { integrationEnv } from '../support/integration-env';

// Billing day's set-up at scale, shrunk: more teams than the worker's cache holds, each subscribed (its run charges,
// continues as new and writes the next run's records in a local activity) and asked its state at once. Core evicts
// runs meanwhile, and a local activity's result can then come back one workflow task after its marker. Before
// run-patches.ts a patch first asked after that result was decided false on replay (keep-timer: 11 of 200 runs
// here, 13 in another run), so the run could not be replayed after an eviction: a query, a timer, a new worker all
// failed with a nondeterminism error. Every history of such a day must replay.
const TEAMS = 60;
const AT_ONCE = 16;

let testDb: TestDatabase;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
beforeAll(async () => {
  installQuietRuntime();
  const { temporalAddress } = integrationEnv();
  testDb = await createTestDatabase();
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection });
  nativeConnection = await NativeConnection.connect({ address: temporalAddress });
});
afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
  await testDb?.drop();
});

/** Team `teamId` subscribed (the API's calls), then its state asked at once, as the billing day's set-up does. */
async function subscribeAndAsk(workflows: ReturnType<typeof teamWorkflows>, teamId: string): Promise<void> {
  await workflows.start({ teamId, team: { name: teamId, billingCountry: 'US' }, members: 3, paymentMethod: SANDBOX_VISA });
  await workflows.update(teamId, subscribeUpdate, { plan: 'basic', interval: 'month' }).catch((error: unknown) => {
    // Its answer may be lost to continue-as-new (temporalio/temporal#6375): the state below says whether it took.
    if (!(error instanceof ProblemError && ['workflow_not_found', 'not_on_free'].includes(error.problem.code ?? ''))) throw error;
  });
  const view = await workflows.query(teamId, stateQuery);
  if (!view.period) throw new Error(`team ${teamId} has no paid period after subscribing`);
}

test(`${TEAMS} teams subscribed and asked at once on a worker caching 2 runs: every run's history replays`, async () => {
  const taskQueue = `replay-under-eviction-${randomUUID()}`;
  const bundle = await workflowBundle();
  const worker = await createBillingWorker({
    connection: nativeConnection, namespace: 'default', taskQueue, bundle, tuning: { maxCachedWorkflows: 2 },
    activities: createBillingActivities({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), temporal: client }),
  });
  const running = worker.run();
  const prefix = `evicted-${randomUUID().slice(0, 8)}-`;
  try {
    const workflows = teamWorkflows(client, taskQueue);
    let next = 0;
    await Promise.all(Array.from({ length: AT_ONCE }, async () => {
      while (next < TEAMS) await subscribeAndAsk(workflows, `${prefix}${next++}`);
    }));
  } finally {
    worker.shutdown();
    await running;
  }

  const failures: string[] = [];
  let runs = 0;
  for await (const { workflowId, runId } of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'teamSubscription'` })) {
    runs += 1;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId).catch((error: Error) => failures.push(`${workflowId} ${runId}: ${error.message.slice(0, 200)}`));
  }
  expect(runs).toBeGreaterThanOrEqual(2 * TEAMS); // each team's first run, and the one it continued as at its charge
  expect(failures).toEqual([]);
}, 300_000);
