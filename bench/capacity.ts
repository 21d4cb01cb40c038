// `npm run bench -- capacity`: how fast one worker gets a burst of new team workflows going, against the floor of as
// many no-op workflows on the same dev server in the same run, and what a cached team workflow costs in memory
// (issue 24, "Start burst and memory"). SEATBILL_BENCH_TEAMS (10,000) of each are started, 32 at a time:
//   no-op              the floor: bench/fixtures/noop-workflow.ts on a worker of its own with the SDK's defaults
//   carried            the way every team's run begins after a continue-as-new: the workflow started with its carried
//                      state (trialing, and the patches its run took), idle on its 14-day trial timer; one workflow
//                      task, no activity, no patch marker
//   update-with-start  the way a new team begins: update-with-start of startTrial, its ensureTeam local activity first
// SEATBILL_BENCH_START lists the team modes (default `carried,update-with-start`). Each mode runs on its own task
// queue with a worker made as the engine makes it (createBillingWorker), whose cache holds SEATBILL_BENCH_CACHE (1,000)
// workflows. Target: every team's first workflow task done within 2× the no-op's time (per workflow, should the
// time limit stop one short). Then the worker's memory per cached team workflow: its RSS settled after the burst,
// less its RSS ready before it, over the workflows cached; from it, the cache a memory budget holds (src/config.ts).
// Bounded: starting stops at SEATBILL_BENCH_SECONDS (300) in each mode.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { createBillingActivities } from '../src/activities';
import { cachedWorkflowsFor, MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB } from '../src/config';
import { dayOf, instantFromEpochMs, trialEnd } from '../src/domain';
import { installQuietRuntime } from '../src/infra/quiet-runtime';
import { workflowBundle } from '../src/infra/workflow-bundle';
import { createSandboxProvider } from '../src/payments/sandbox-provider';
import { createBillingWorker } from '../src/worker';
import { addMembersUpdate, startTrialUpdate, stateQuery, teamSubscription, teamWorkflowId } from '../src/workflows';
import { TeamId } from '../src/workflows/search-attributes';
import { TEAM_PATCHES } from '../src/workflows/team/run-patches';
import { newTeamState } from '../src/workflows/team/state';
import { cpuByProcess, cpuPerUpdate } from './fixtures/cpu-use';
import { noopWorker } from './fixtures/noop-baseline';
import { noopEntity } from './fixtures/noop-workflow';
import { figure, startBenchServers, type BenchServers } from './fixtures/servers';
import { describeBurst, startBurst, type StartBurst } from './fixtures/start-burst';

const TEAMS = Number(process.env.SEATBILL_BENCH_TEAMS ?? 10_000);
const CACHE = Number(process.env.SEATBILL_BENCH_CACHE ?? 1_000);
const SECONDS = Number(process.env.SEATBILL_BENCH_SECONDS ?? 300);
const MODES = (process.env.SEATBILL_BENCH_START ?? 'carried,update-with-start').split(',');
const TARGET_RATIO = 2;
const SAMPLE = 100;
/** The memory budgets the derived cache size is shown for (MiB). */
const BUDGETS_MIB = [512, 1024, 2048];

const mib = (bytes: number) => `${figure(bytes / 2 ** 20)} MiB`;
function memory(): string {
  const { rss, heapUsed, external } = process.memoryUsage();
  return `RSS ${mib(rss)} (main thread heap ${mib(heapUsed)}, external ${mib(external)})`;
}
function settledRss(): number {
  global.gc?.();
  return process.memoryUsage().rss;
}

/** Seconds per workflow whose first task is done: what the target compares. */
const perWorkflow = (burst: StartBurst) => burst.doneSeconds / Math.max(1, burst.started - burst.queued);

function printBurst(name: string, burst: StartBurst): void {
  console.log(`${name}: ${describeBurst(burst, TEAMS)}`);
  console.log(`  ${cpuPerUpdate(burst.cpu, burst.started, 'start')}; by process: ${cpuByProcess(burst.cpu).map(([p, s]) => `${p} ${figure(s, 1)} s`).join(', ')}`);
}

function startTeam(client: Client, taskQueue: string, mode: string, i: number): Promise<unknown> {
  const teamId = `capacity-${mode}-${i}`;
  const team = { name: teamId, billingCountry: 'US' };
  const input = { teamId, team, members: 3, paymentMethod: { provider: 'sandbox' as const, paymentMethodId: 'pm_card_visa' } };
  const options = { taskQueue, workflowId: teamWorkflowId(teamId), typedSearchAttributes: [{ key: TeamId, value: teamId }] };
  if (mode === 'carried') {
    const today = dayOf(instantFromEpochMs(Date.now()));
    const carried = { ...newTeamState(input), patches: [...TEAM_PATCHES], plan: 'basic' as const, status: 'trialing' as const, hadTrial: true, trial: { start: today, end: trialEnd(today) } };
    return client.workflow.start(teamSubscription, { ...options, args: [{ ...input, carried }] });
  }
  const start = new WithStartWorkflowOperation(teamSubscription, { ...options, workflowIdConflictPolicy: 'USE_EXISTING', args: [input] });
  return client.workflow.executeUpdateWithStart(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }], startWorkflowOperation: start });
}

/** Evicted teams still answer: queries and updates replay them from history. */
async function touchSample(client: Client, mode: string, started: number): Promise<void> {
  const size = Math.min(SAMPLE, started);
  const handles = Array.from({ length: size }, (_, k) => client.workflow.getHandle(teamWorkflowId(`capacity-${mode}-${Math.floor((k * started) / size)}`)));
  let t = performance.now();
  const views = await Promise.all(handles.map((handle) => handle.query(stateQuery).catch(() => null)));
  const queryMs = performance.now() - t;
  t = performance.now();
  const added = await Promise.all(handles.map((handle) => handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }).catch(() => null)));
  const updateMs = performance.now() - t;
  const trialing = views.filter((view) => view?.status === 'trialing' && view.nextEventOn !== null).length;
  const failed = views.filter((v) => !v).length + added.filter((r) => !r).length;
  console.log(`  sample of ${size} teams across the range: ${trialing} trialing with a timer set; queries ${figure(queryMs)} ms, then addMembers updates ${figure(updateMs)} ms for all (${added.filter((r) => r?.members === 4).length} answered 4 members; ${failed} failed)`);
}

/** The memory a cached team workflow takes, and the cache each budget holds at that figure. */
function printMemoryPerWorkflow(rssReady: number, rssSettled: number, cached: number): void {
  const kib = (rssSettled - rssReady) / 1024 / Math.max(1, cached);
  console.log(`memory per cached team workflow: ${figure(kib)} KiB (RSS ${mib(rssReady)} ready → ${mib(rssSettled)} with ${figure(cached)} cached); src/config.ts assumes ${MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB} KiB`);
  const budgets = BUDGETS_MIB.map((budget) => `${budget} MiB → ${figure(cachedWorkflowsFor(budget, kib))} (configured figure: ${figure(cachedWorkflowsFor(budget))})`);
  console.log(`  maxCachedWorkflows = floor(WORKER_MEMORY_BUDGET_MB × 1024 / KiB per workflow): ${budgets.join('; ')}`);
}

async function noopFloor(servers: BenchServers): Promise<StartBurst> {
  const taskQueue = 'bench-capacity-noop';
  const worker = await noopWorker(servers.nativeConnection, taskQueue);
  const running = worker.run();
  try {
    const burst = await startBurst({ client: servers.client, worker, taskQueue, count: TEAMS, seconds: SECONDS }, (i) =>
      servers.client.workflow.start(noopEntity, { taskQueue, workflowId: `${taskQueue}-${i}` }), () => `cache ${worker.getStatus().numCachedWorkflows}`);
    printBurst('no-op workflows (the floor)', burst);
    return burst;
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
  }
}

async function teamBurst(servers: BenchServers, mode: string, floor: StartBurst, measureMemory: boolean): Promise<void> {
  const taskQueue = `bench-capacity-${mode}`;
  const worker = await createBillingWorker({
    connection: servers.nativeConnection, namespace: 'default', taskQueue, bundle: await workflowBundle(), tuning: { maxCachedWorkflows: CACHE },
    activities: createBillingActivities({ db: servers.db, payments: createSandboxProvider({ db: servers.db }) }),
  });
  const running = worker.run();
  try {
    const rssReady = settledRss();
    const burst = await startBurst({ client: servers.client, worker, taskQueue, count: TEAMS, seconds: SECONDS }, (i) => startTeam(servers.client, taskQueue, mode, i),
      () => `cache ${worker.getStatus().numCachedWorkflows}; ${memory()}`);
    const rssSettled = settledRss();
    const cached = worker.getStatus().numCachedWorkflows;
    printBurst(`team workflows by ${mode}`, burst);
    const ratio = perWorkflow(burst) / perWorkflow(floor);
    console.log(`  team (${mode}) ${figure(burst.doneSeconds, 1)} s vs no-op ${figure(floor.doneSeconds, 1)} s: ${figure(ratio, 2)}× the floor; target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
    console.log(`  worker with ${figure(cached)} cached: ${memory()}`);
    if (measureMemory) printMemoryPerWorkflow(rssReady, rssSettled, cached);
    await touchSample(servers.client, mode, burst.started);
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
  }
}

export async function run(): Promise<void> {
  installQuietRuntime();
  const servers = await startBenchServers();
  try {
    console.log(`${figure(TEAMS)} of each, 32 starts in flight; team worker cache ${figure(CACHE)}; team modes ${MODES.join(', ')}; before any worker: ${memory()}`);
    const floor = await noopFloor(servers);
    for (const [k, mode] of MODES.entries()) await teamBurst(servers, mode, floor, k === 0);
  } finally {
    await servers.close();
  }
}
