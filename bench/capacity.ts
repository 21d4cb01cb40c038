// `npm run bench -- capacity`: how many team workflows one worker keeps running, and what it costs in memory.
// Starts SEATBILL_BENCH_TEAMS (10,000) trialing teams on a dev server, each idle on its 14-day trial timer, against
// one worker whose workflow cache holds SEATBILL_BENCH_CACHE (1,000) workflows: the others are evicted, and replayed
// from history when next touched. Then it touches a sample across the range (a query, then an update each) to
// show evicted teams still answer, and reports the worker's memory. How a team starts (SEATBILL_BENCH_START):
//   carried            (default) the way every team's run begins after a continue-as-new: the workflow started with
//                      its carried state (trialing); one workflow task, no activity
//   update-with-start  the way a new team begins: update-with-start of startTrial, its ensureTeam activity first
// Bounded: starting stops at SEATBILL_BENCH_SECONDS (300) even if not all teams are started.
import { WithStartWorkflowOperation } from '@temporalio/client';
import { createBillingActivities } from '../src/activities';
import { dayOf, instantFromEpochMs, trialEnd } from '../src/domain';
import { workflowBundle } from '../src/infra/workflow-bundle';
import { createSandboxProvider } from '../src/payments/sandbox-provider';
import { createBillingWorker } from '../src/worker';
import { addMembersUpdate, startTrialUpdate, stateQuery, teamSubscription, teamWorkflowId } from '../src/workflows';
import { TeamId } from '../src/workflows/search-attributes';
import { newTeamState } from '../src/workflows/team/state';
import { installQuietRuntime } from '../src/infra/quiet-runtime';
import { figure, startBenchServers } from './fixtures/servers';
import { workflowBacklog } from './fixtures/task-queue';

const TEAMS = Number(process.env.SEATBILL_BENCH_TEAMS ?? 10_000);
const CACHE = Number(process.env.SEATBILL_BENCH_CACHE ?? 1_000);
const SECONDS = Number(process.env.SEATBILL_BENCH_SECONDS ?? 300);
const MODE = process.env.SEATBILL_BENCH_START ?? 'carried';
const IN_FLIGHT = 32;
const SAMPLE = 100;
const taskQueue = 'bench-capacity';

function memory(): string {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  const mib = (bytes: number) => `${figure(bytes / 2 ** 20)} MiB`;
  return `RSS ${mib(rss)}, heap used ${mib(heapUsed)} of ${mib(heapTotal)}, external ${mib(external)}`;
}

export async function run(): Promise<void> {
  installQuietRuntime();
  const servers = await startBenchServers();
  const { client } = servers;
  const worker = await createBillingWorker({
    connection: servers.nativeConnection,
    taskQueue,
    bundle: await workflowBundle(),
    activities: createBillingActivities({ db: servers.db, payments: { sandbox: createSandboxProvider({ db: servers.db }) } }),
    tuning: { maxCachedWorkflows: CACHE },
  });
  const running = worker.run();
  const backlog = () => workflowBacklog(servers.client, taskQueue);
  try {
    global.gc?.();
    console.log(`worker ready, workflow cache ${figure(CACHE)}, teams start by ${MODE}; before any team: ${memory()}`);
    const startedAt = performance.now();
    const deadline = startedAt + SECONDS * 1000;
    let next = 0;
    let started = 0;
    let failed = 0;
    const today = dayOf(instantFromEpochMs(Date.now()));
    const startTeam = async (i: number) => {
      const teamId = `capacity-${i}`;
      const team = { name: teamId, billingCountry: 'US' };
      const input = { teamId, team, members: 3, paymentMethod: { provider: 'sandbox' as const, paymentMethodId: 'pm_card_visa' } };
      if (MODE === 'carried') {
        const carried = { ...newTeamState(input), plan: 'basic' as const, status: 'trialing' as const, hadTrial: true, trial: { start: today, end: trialEnd(today) } };
        await client.workflow.start(teamSubscription, { taskQueue, workflowId: teamWorkflowId(teamId), args: [{ ...input, carried }], typedSearchAttributes: [{ key: TeamId, value: teamId }] });
        return;
      }
      const start = new WithStartWorkflowOperation(teamSubscription, {
        taskQueue,
        workflowId: teamWorkflowId(teamId),
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [input],
        typedSearchAttributes: [{ key: TeamId, value: teamId }],
      });
      await client.workflow.executeUpdateWithStart(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }], startWorkflowOperation: start });
    };
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < TEAMS && performance.now() < deadline) {
          const i = next++;
          try {
            await startTeam(i);
            started += 1;
          } catch (error) {
            failed += 1;
            if (failed <= 3) console.log(`team ${i} failed to start: ${(error as Error).message}`);
          }
          if ((started + failed) % 1000 === 0) {
            const seconds = (performance.now() - startedAt) / 1000;
            console.log(`  ${figure(started)} teams started in ${figure(seconds, 1)} s (${figure(started / seconds)}/s), cache ${worker.getStatus().numCachedWorkflows}; ${memory()}`);
          }
        }
      }),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    console.log(`started ${figure(started)} of ${figure(TEAMS)} teams in ${figure(seconds, 1)} s (${figure(started / seconds)} teams/s)${failed ? `, ${failed} failed` : ''}${started < TEAMS ? ' — stopped at the time limit' : ''}`);
    // A start returns once the server has it; the worker may still be working through the first tasks.
    let queued = 0;
    for (let queuedNow = await backlog(); queuedNow > 0; queuedNow = await backlog()) {
      if (performance.now() > deadline + 120_000) {
        queued = queuedNow;
        break;
      }
      console.log(`  worker catching up: ${figure(queuedNow)} workflow tasks queued, cache ${worker.getStatus().numCachedWorkflows}`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    const settled = (performance.now() - startedAt) / 1000;
    const runningCount = await client.workflow.count(`WorkflowType = "teamSubscription" AND ExecutionStatus = "Running" AND TaskQueue = "${taskQueue}"`);
    global.gc?.();
    console.log(
      queued === 0
        ? `every team's first workflow task done ${figure(settled, 1)} s after the first start (${figure(started / settled)} teams/s)`
        : `stopped waiting ${figure(settled, 1)} s after the first start: ${figure(queued)} first workflow tasks still queued (${figure((started - queued) / settled)} teams/s done)`,
    );
    console.log(`running team workflows (visibility count): ${figure(runningCount.count)}; in the worker's cache: ${worker.getStatus().numCachedWorkflows}`);
    console.log(`worker process with ${figure(started)} teams: ${memory()}`);

    // Evicted teams still answer: queries and updates replay them from history.
    const sample = Array.from({ length: Math.min(SAMPLE, started) }, (_, k) => Math.floor((k * started) / Math.min(SAMPLE, started)));
    let t = performance.now();
    const views = await Promise.all(sample.map((i) => client.workflow.getHandle(teamWorkflowId(`capacity-${i}`)).query(stateQuery).catch(() => null)));
    const queryMs = performance.now() - t;
    t = performance.now();
    const added = await Promise.all(
      sample.map((i) => client.workflow.getHandle(teamWorkflowId(`capacity-${i}`)).executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }).catch(() => null)),
    );
    const updateMs = performance.now() - t;
    const trialing = views.filter((view) => view?.status === 'trialing' && view.nextEventOn !== null).length;
    console.log(`sample of ${sample.length} teams across the range: ${trialing} trialing with a timer set; queries ${figure(queryMs)} ms, then addMembers updates ${figure(updateMs)} ms for all (${added.filter((r) => r?.members === 4).length} answered 4 members; ${views.filter((v) => !v).length + added.filter((r) => !r).length} failed)`);
    console.log(`after the sample: cache ${worker.getStatus().numCachedWorkflows}; ${memory()}`);
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await servers.close();
  }
}
