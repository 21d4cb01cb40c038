// `npm run bench -- billing-day`: the first of the month, when every team with that anchor renews at once.
// BILLING_DAY_TEAMS (10,000) teams (bench/fixtures/billing-day-teams.ts: monthly and annual, member changes, credits,
// balance, 2% declined cards) are started on a dev server with their business clock set so that their period ends at
// one instant, a lead time ahead (60 s + 60 ms a team, or BILLING_DAY_LEAD_SECONDS). From that instant it measures
// until the last renewal invoice is paid (or declined) and recorded, then checks every team's renewal and the ledger
// invariant. The billing worker runs in a process of its own (bench/fixtures/bench-worker.ts), as in production.
// Parts (BILLING_DAY_PARTS, all by default; each on fresh servers):
//   day        the billing day, one worker
//   floor      N workflows whose timers fire at one instant, each running one activity inserting one row; the
//              billing day's renewals/s against its rate. Target: at least 0.5
//   limited    the billing day with charges limited to PAYMENT_PROVIDER_MAX_RPS (25, Stripe's test mode) on the
//              charges task queue, for BILLING_DAY_LIMITED_TEAMS (min(N, 1,000)) teams: the busiest second at most that
//   scale-out  the billing day on two worker processes, one SIGKILLed once half the renewals are done: nothing is
//              lost or charged twice
import { setTimeout as sleep } from 'node:timers/promises';
import { createBillingActivities } from '../src/activities';
import { epochMs } from '../src/domain';
import { createSandboxProvider } from '../src/payments/sandbox-provider';
import { BILLING_DAY, billingDayTeam, startBillingDayTeam } from './fixtures/billing-day-teams';
import { billingDayInvariant, busiestChargeSecond, renewalDoneTimes, renewalsDone } from './fixtures/billing-day-ledger';
import { startBenchWorker, type BenchWorkerKind, type BenchWorkerProcess } from './fixtures/bench-worker';
import { cpuSecondsOf, sampleCpu, TEMPORAL_SERVER } from './fixtures/cpu-use';
import { untilQuiet } from './fixtures/quiet-machine';
import { figure, startBenchServers, type BenchServers } from './fixtures/servers';
import { createFloorTable, floorDoneTimes, startFloorWorkflow } from './fixtures/timer-floor';

const TEAMS = Number(process.env.BILLING_DAY_TEAMS ?? 10_000);
const LIMITED_TEAMS = Number(process.env.BILLING_DAY_LIMITED_TEAMS ?? Math.min(TEAMS, 1_000));
const MAX_RPS = Number(process.env.PAYMENT_PROVIDER_MAX_RPS ?? 25);
const PARTS = (process.env.BILLING_DAY_PARTS ?? 'day,floor,limited,scale-out').split(',');
const LEAD_SECONDS = process.env.BILLING_DAY_LEAD_SECONDS ? Number(process.env.BILLING_DAY_LEAD_SECONDS) : undefined;
/** Starts in flight while the teams are set up. */
const IN_FLIGHT = 32;
/** Stop waiting when nothing more was done for this long. */
const STALL_MS = 120_000;
const TARGET_RATIO = 0.5;

/** The instant, `lead` from now: time to start every workflow first (30 to 90 ms a team on two busy cores), and a minute more. */
function leadMs(teams: number): number {
  return (LEAD_SECONDS ?? 60 + teams * 0.06) * 1000;
}

/** Runs `start(i)` for i < count, IN_FLIGHT at a time; returns the seconds it took. */
async function startAll(count: number, start: (i: number) => Promise<void>): Promise<number> {
  const began = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < count) await start(next++);
  }));
  return (performance.now() - began) / 1000;
}

/** Polls `done()` each second until it reaches `count` or stalls; `onProgress` sees each count. */
async function waitUntilDone(count: number, done: () => Promise<number>, onProgress: (n: number) => Promise<void> = async () => undefined): Promise<number> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const n = await done();
    if (n !== last) [last, lastChange] = [n, Date.now()];
    await onProgress(n);
    if (n >= count || Date.now() - lastChange > STALL_MS) return n;
    await sleep(1000);
  }
}

interface Timing {
  /** Seconds from the instant to the last one done, and per second. */
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function timing(doneAt: number[], instantMs: number): Timing {
  const lateness = doneAt.map((at) => (at - instantMs) / 1000).sort((a, b) => a - b);
  const at = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))] ?? NaN;
  const seconds = lateness[lateness.length - 1] ?? NaN;
  return { seconds, perSecond: lateness.length / seconds, p50: at(0.5), p99: at(0.99) };
}

/** CPU seconds of the Temporal server, Postgres and the given worker processes, from /proc/<pid>/stat. */
function cpuNow(workers: BenchWorkerProcess[], gone: Map<number, number>): { temporal: number; postgres: number; workers: number } {
  const use = sampleCpu();
  const workerSeconds = workers.reduce((sum, worker) => sum + (cpuSecondsOf(worker.pid) ?? gone.get(worker.pid) ?? 0), 0);
  return { temporal: use.get(TEMPORAL_SERVER) ?? 0, postgres: use.get('postgres') ?? 0, workers: workerSeconds };
}

function cpuLine(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>, done: number, seconds: number): string {
  const part = (name: keyof typeof before) => after[name] - before[name];
  const total = part('temporal') + part('workers') + part('postgres');
  return `CPU over the ${figure(seconds, 1)} s: Temporal server ${figure(part('temporal'), 1)} s, workers ${figure(part('workers'), 1)} s, Postgres ${figure(part('postgres'), 1)} s` +
    ` (${figure((total * 1000) / Math.max(1, done), 1)} ms per workflow; ${figure(total / seconds, 2)} cores busy)`;
}

/** One part on fresh servers, its workers in processes of their own. */
async function withServers<T>(kind: BenchWorkerKind, workers: number, maxChargesPerSecond: number | undefined, taskQueue: string,
  work: (servers: BenchServers, processes: BenchWorkerProcess[]) => Promise<T>): Promise<T> {
  const servers = await startBenchServers();
  const processes: BenchWorkerProcess[] = [];
  try {
    if (kind === 'floor') await createFloorTable(servers.db);
    for (let i = 0; i < workers; i++) {
      processes.push(await startBenchWorker(kind, { temporalAddress: servers.temporalAddress, databaseUrl: servers.databaseUrl, taskQueue, maxChargesPerSecond }));
    }
    return await work(servers, processes);
  } finally {
    await Promise.all(processes.map((worker) => worker.stop()));
    await servers.close();
  }
}

interface DayRun {
  name: string;
  teams: number;
  workers: number;
  maxChargesPerSecond?: number;
  /** SIGKILL the first worker once half the renewals are done. */
  killHalfway?: boolean;
}

async function billingDay(run: DayRun): Promise<Timing> {
  const prefix = run.name;
  return withServers('billing', run.workers, run.maxChargesPerSecond, `billing-day-${run.name}`, async (servers, workers) => {
    const instantMs = Date.now() + leadMs(run.teams);
    const clockOffsetMs = epochMs(BILLING_DAY) - instantMs; // business "now" reaches BILLING_DAY at the instant
    const activities = createBillingActivities({ db: servers.db, payments: { sandbox: createSandboxProvider({ db: servers.db }) } });
    const teams = Array.from({ length: run.teams }, (_, i) => billingDayTeam(prefix, i));
    const context = { client: servers.client, activities, taskQueue: `billing-day-${run.name}`, clockOffsetMs };
    const startSeconds = await startAll(run.teams, (i) => startBillingDayTeam(context, teams[i]!));
    const ahead = (instantMs - Date.now()) / 1000;
    console.log(`  ${figure(run.teams)} teams set up and started in ${figure(startSeconds, 1)} s; the instant (${BILLING_DAY} 00:00 on their business clock) ` +
      (ahead >= 0 ? `${figure(ahead, 1)} s later` : `came ${figure(-ahead, 1)} s before the last start: raise BILLING_DAY_LEAD_SECONDS`));
    if (ahead > 0) await sleep(ahead * 1000);
    const gone = new Map<number, number>();
    const before = cpuNow(workers, gone);
    let killed = false;
    const done = await waitUntilDone(run.teams, () => renewalsDone(servers.db, prefix), async (n) => {
      if (!run.killHalfway || killed || n < run.teams / 2) return;
      killed = true;
      gone.set(workers[0]!.pid, cpuSecondsOf(workers[0]!.pid) ?? 0);
      await workers[0]!.stop(true);
      console.log(`  worker ${workers[0]!.pid} SIGKILLed ${figure((Date.now() - instantMs) / 1000, 1)} s after the instant, with ${figure(n)} of ${figure(run.teams)} renewals done`);
    });
    const after = cpuNow(workers, gone);
    const figures = timing(await renewalDoneTimes(servers.db, prefix), instantMs);
    console.log(`  last renewal invoice paid (or declined) and recorded ${figure(figures.seconds, 1)} s after the instant: ${figure(figures.perSecond, 1)} renewals/s` +
      (done < run.teams ? ` — stopped waiting with ${figure(done)} of ${figure(run.teams)} done` : ''));
    console.log(`  lateness per team: p50 ${figure(figures.p50, 1)} s, p99 ${figure(figures.p99, 1)} s`);
    console.log(`  ${cpuLine(before, after, done, figures.seconds)}`);
    const busiest = await busiestChargeSecond(servers.db);
    const limit = run.maxChargesPerSecond;
    console.log(`  provider charges: at most ${figure(busiest.charges)} in one second` +
      (limit ? ` (limit ${figure(limit)}: ${busiest.charges <= limit ? 'held' : 'NOT held'})` : ' (no limit)'));
    const invariant = await billingDayInvariant(servers.db, prefix, teams);
    console.log(`  ledger invariant ${invariant.holds ? 'holds' : 'DOES NOT HOLD'}: ${invariant.summary}`);
    return figures;
  });
}

async function floor(count: number): Promise<Timing> {
  const taskQueue = 'billing-day-floor';
  return withServers('floor', 1, undefined, taskQueue, async (servers, workers) => {
    const instantMs = Date.now() + leadMs(count);
    const startSeconds = await startAll(count, (i) => startFloorWorkflow(servers.client, taskQueue, i, instantMs));
    console.log(`  ${figure(count)} workflows started in ${figure(startSeconds, 1)} s, ${figure((instantMs - Date.now()) / 1000, 1)} s before their timers fire`);
    await sleep(Math.max(0, instantMs - Date.now()));
    const before = cpuNow(workers, new Map());
    const done = await waitUntilDone(count, async () => Number(((await servers.db('bench_floor_rows').count({ n: '*' }).first()) as { n: string | number }).n));
    const figures = timing(await floorDoneTimes(servers.db), instantMs);
    const after = cpuNow(workers, new Map());
    console.log(`  last row inserted ${figure(figures.seconds, 1)} s after the instant: ${figure(figures.perSecond, 1)} workflows/s; lateness p50 ${figure(figures.p50, 1)} s, p99 ${figure(figures.p99, 1)} s` +
      (done < count ? ` — stopped waiting with ${figure(done)} of ${figure(count)}` : ''));
    console.log(`  ${cpuLine(before, after, done, figures.seconds)}`);
    return figures;
  });
}

export async function run(): Promise<void> {
  let day: Timing | undefined;
  let floorTiming: Timing | undefined;
  let ran = false; // bench/index.ts waited for a quiet machine before the first part; each later one waits too
  const next = async (title: string) => {
    if (ran) console.log(await untilQuiet());
    ran = true;
    console.log(title);
  };
  if (PARTS.includes('day')) {
    await next(`billing day: ${figure(TEAMS)} teams renewing at one instant, one worker process`);
    day = await billingDay({ name: 'day', teams: TEAMS, workers: 1 });
  }
  if (PARTS.includes('floor')) {
    await next(`floor: ${figure(TEAMS)} workflows whose timers fire at one instant, each running one activity that inserts one row`);
    floorTiming = await floor(TEAMS);
  }
  if (day && floorTiming) {
    const ratio = day.perSecond / floorTiming.perSecond;
    console.log(`renewals/s ÷ floor workflows/s: ${figure(day.perSecond, 1)} ÷ ${figure(floorTiming.perSecond, 1)} = ${figure(ratio, 2)} ` +
      `(target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'}); p99 lateness ${figure(day.p99, 1)} s against the floor's ${figure(floorTiming.p99, 1)} s`);
  }
  if (PARTS.includes('limited')) {
    await next(`rate-limited billing day: ${figure(LIMITED_TEAMS)} teams, PAYMENT_PROVIDER_MAX_RPS=${MAX_RPS} (charges task queue), one worker process`);
    await billingDay({ name: 'limited', teams: LIMITED_TEAMS, workers: 1, maxChargesPerSecond: MAX_RPS });
  }
  if (PARTS.includes('scale-out')) {
    await next(`scale-out billing day: ${figure(TEAMS)} teams, two worker processes, one SIGKILLed halfway`);
    await billingDay({ name: 'scale-out', teams: TEAMS, workers: 2, killHalfway: true });
  }
}
