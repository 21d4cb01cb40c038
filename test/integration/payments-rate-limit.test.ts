import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createBillingActivities } from '../../src/activities';
import { addDays, epochMs, type Day } from '../../src/domain';
import { installQuietRuntime } from '../../src/infra/quiet-runtime';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { createSandboxProvider, type SandboxProvider } from '../../src/payments/sandbox-provider';
import { createBillingWorker, type BillingWorker } from '../../src/worker';
import { stateQuery, teamSubscription, teamWorkflowId, type TeamSubscriptionView } from '../../src/workflows';
import { stateFromLedger } from '../../src/workflows/team/state';
import { createTestDatabase, SANDBOX_VISA, type TestDatabase } from '../support/database';
import { waitFor } from '../support/dev-server-worker';
import { integrationEnv } from '../support/integration-env';
import { checkLedgerInvariant } from '../support/ledger-invariant';
import { chargesDispatchSeconds, fetchHistories, type RunRef } from '../support/charges-dispatch';
import { countsPerSecond, mostBeyondTokenBucket, tokenBucketBound } from '../support/token-bucket';

// Billing day against a provider's rate limit, on the integration project's Temporal dev server and a real Postgres:
// TEAMS teams renew at one instant, collected by two billing workers on one task queue. With PAYMENT_PROVIDER_MAX_RPS
// the server dispatches the charges queue's collections at that rate to both workers together, so the provider (the
// sandbox, capped as Stripe is) never answers 429; without it, the sandbox's 429s are retried with backoff and every
// renewal is still charged exactly once, none failed, no team in dunning.
const TEAMS = 30;
const PERIOD = { start: '2026-06-01' as Day, end: '2026-07-01' as Day };
const MEMBERS = 2;
const RENEWAL_CENTS = 2 * 1_200; // Basic monthly, 1200 per member

let testDb: TestDatabase;
let client: Client;
let connection: Connection;

beforeAll(async () => {
  installQuietRuntime();
  const { temporalAddress } = integrationEnv();
  connection = await Connection.connect({ address: temporalAddress });
  client = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
});

// A ledger (and sandbox) per test: the invariant and the per-second counts are each run's own.
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(() => testDb?.drop());

interface BillingDay {
  sandboxes: SandboxProvider[];
  teamIds: string[];
  /** The charges queue's dispatches by second of the server's clock (charges-dispatch.ts), from the first to the last. */
  dispatchedPerSecond: number[];
  /** Each team's workflow once renewed (its state query), before the workers stop. */
  states: TeamSubscriptionView[];
}

/**
 * Two billing workers on one new task queue, each with its own sandbox provider (capped at `sandboxCap` new charges a
 * second, across both: the count is the database's), and TEAMS monthly teams started on the eve of their renewal,
 * with a business clock that reaches the renewal two seconds after the last one starts. Resolves once every renewal
 * invoice is paid.
 */
async function renewAtOnce(name: string, options: { maxChargesPerSecond?: number; sandboxCap: number }): Promise<BillingDay> {
  const { db } = testDb;
  const taskQueue = `rate-limit-${name}-${randomBytes(4).toString('hex')}`;
  const bundle = await workflowBundle();
  const sandboxes = [0, 1].map(() => createSandboxProvider({ db, maxChargesPerSecond: options.sandboxCap }));
  // A connection each, as two worker processes have (the SDK refuses two workers of one queue on one connection).
  const connections = await Promise.all(sandboxes.map(() => NativeConnection.connect({ address: integrationEnv().temporalAddress })));
  const workers: BillingWorker[] = await Promise.all(sandboxes.map((sandbox, i) =>
    createBillingWorker({
      connection: connections[i]!, taskQueue, bundle, maxChargesPerSecond: options.maxChargesPerSecond,
      // The same pace for the activities, as src/main.ts gives both: without one, a renewal collects locally (collect-local).
      activities: createBillingActivities({ db, payments: { sandbox }, maxChargesPerSecond: options.maxChargesPerSecond }),
    })));
  const running = workers.map((worker) => worker.run());
  try {
    const billing = createBillingActivities({ db, payments: { sandbox: sandboxes[0]! } });
    const teamIds = Array.from({ length: TEAMS }, (_, i) => `${name}-${i}`);
    const instantMs = Date.now() + 2_000 + TEAMS * 100; // after every start below, on a busy machine too
    const renewing: RunRef[] = await Promise.all(teamIds.map(async (teamId) => {
      const input = { teamId, team: { name: teamId, billingCountry: 'US' }, members: MEMBERS, paymentMethod: SANDBOX_VISA, clockOffsetMs: epochMs(PERIOD.end) - instantMs };
      await billing.ensureTeam({ teamId, ...input.team });
      const facts = { plan: 'basic', interval: 'month', period: PERIOD, anchorDay: 1, members: MEMBERS, paymentMethod: SANDBOX_VISA, dunning: null, pendingChange: null, hadTrial: false } as const;
      const carried = stateFromLedger(input, facts, addDays(PERIOD.end, -1));
      const handle = await client.workflow.start(teamSubscription, { taskQueue, workflowId: teamWorkflowId(teamId), args: [{ ...input, carried }] });
      return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }; // the run that renews, before it continues as new
    }));
    await waitFor(async () => {
      const paid = await db('invoices').whereIn('team_id', teamIds).where({ reason: 'renewal', status: 'paid' }).count({ n: '*' }).first();
      return Number(paid?.n) === TEAMS ? true : undefined;
    }, 120_000);
    // The renewal continues as new once recorded: each team's new run answers with the next period.
    const states = await Promise.all(teamIds.map((teamId) => waitFor(async () => {
      const state = await client.workflow.getHandle(teamWorkflowId(teamId)).query(stateQuery).catch(() => undefined);
      return state?.period?.start === PERIOD.end ? state : undefined;
    }, 60_000)));
    const dispatchedPerSecond = countsPerSecond(chargesDispatchSeconds(taskQueue, await fetchHistories(client, renewing)));
    return { sandboxes, teamIds, dispatchedPerSecond, states };
  } finally {
    for (const worker of workers) worker.shutdown();
    await Promise.all(running);
    await Promise.all(connections.map((c) => c.close()));
  }
}

/** The sandbox's charges of these teams, by the second of the database's clock they were made in, from the first to the last (empty seconds as 0). */
async function chargesPerSecond(teamIds: string[]): Promise<number[]> {
  const { db } = testDb;
  const rows = (await db('sandbox_charges')
    .whereIn('idempotency_key', db('invoices').whereIn('team_id', teamIds).select(db.raw("idempotency_key || ':attempt:1'")))
    .select(db.raw("floor(extract(epoch from created_at))::int AS second"))) as { second: number }[];
  return countsPerSecond(rows.map((row) => row.second));
}

/** Every renewal charged once, at its amount; every team renewed and active; no invoice failed; no notice of a failed payment. */
async function expectEachRenewalChargedOnce({ teamIds, states }: BillingDay): Promise<void> {
  const { db } = testDb;
  const invoices = (await db('invoices').whereIn('team_id', teamIds).select('team_id', 'reason', 'status', 'charged', 'charge_attempt')) as
    { team_id: string; reason: string; status: string; charged: number | string; charge_attempt: number }[];
  expect(invoices).toHaveLength(TEAMS);
  expect(invoices.map((i) => [i.reason, i.status, Number(i.charged), i.charge_attempt])).toEqual(teamIds.map(() => ['renewal', 'paid', RENEWAL_CENTS, 1]));
  const charges = (await db('sandbox_charges').select('status', 'amount')) as { status: string; amount: number | string }[];
  expect(charges.filter((c) => c.status !== 'succeeded')).toEqual([]);
  expect(await db('notifications').whereIn('team_id', teamIds).where({ kind: 'payment_failed' })).toEqual([]);
  expect(states.map((state) => [state.status, state.period, state.dunning])).toEqual(teamIds.map(() => ['active', { start: PERIOD.end, end: '2026-08-01' }, null]));
  const figures = await checkLedgerInvariant(db); // provider charges and ledger payments one to one
  expect(figures.payments).toBe(figures.providerCharges);
}

test('two workers with PAYMENT_PROVIDER_MAX_RPS=5 renew 30 teams at once: each charged once, the limit held, no 429', async () => {
  const limit = 5;
  // The provider sees each charge a varying delay after its dispatch (dispatched 6 and 5 in two seconds arrived as 11
  // in one, 2026-12-03), so one of its seconds can take in what two seconds of dispatch hold, 18: capped there, it
  // answers no 429. Hence the README's advice: the limit at most a third of the provider's.
  const day = await renewAtOnce('limited', { maxChargesPerSecond: limit, sandboxCap: tokenBucketBound(limit, 2) });
  await expectEachRenewalChargedOnce(day);
  // The limit is the server's dispatch of the charges queue, a token bucket per partition: in every run of n seconds
  // at most 8 + 5n (token-bucket.ts), so at least 5 seconds for the 30 collections (unlimited, they go out in one or two).
  expect(day.dispatchedPerSecond.reduce((sum, n) => sum + n, 0)).toBe(TEAMS);
  expect(mostBeyondTokenBucket(day.dispatchedPerSecond, limit)).toBeLessThanOrEqual(0);
  expect(day.sandboxes.map((sandbox) => sandbox.rateLimited())).toEqual([0, 0]);
  expect((await chargesPerSecond(day.teamIds)).reduce((sum, n) => sum + n, 0)).toBe(TEAMS);
}, 180_000);

test('without a limit, a provider capped at 5 a second answers 429s: retried with backoff, every renewal paid exactly once, none failed, no dunning', async () => {
  const day = await renewAtOnce('unlimited', { sandboxCap: 5 });
  const rateLimited = day.sandboxes.reduce((sum, sandbox) => sum + sandbox.rateLimited(), 0);
  expect(rateLimited).toBeGreaterThan(0);
  expect(Math.max(...(await chargesPerSecond(day.teamIds)))).toBeLessThanOrEqual(5); // the cap held: a 429 charged nothing
  await expectEachRenewalChargedOnce(day);
}, 180_000);
