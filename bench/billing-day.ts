// `npm run bench -- billing-day` (issue 24): BILLING_DAY_TEAMS (10,000) teams on the dev server, all due to renew at
// one instant a minute ahead. The teams are set up through the workflow calls the API makes: a mix of monthly and
// annual, Basic and Professional, member changes (the renewal's member-change lines), credits and a balance, 2% with
// a card that declines (bench/fixtures/billing-day-teams.ts); then each is carried to the eve of its renewal by its
// business clock's offset, so every renewal timer fires at the instant. Printed: time from the instant to the last
// renewal paid (or its decline recorded and dunning begun), renewals per second, p50/p99 lateness per team, the CPU
// of the Temporal server, the worker and Postgres over that window, then the ledger invariant over every team.
// The floor, in the same run before it: as many workflows whose timers fire at one instant, each running one activity
// that inserts one row (bench/fixtures/timer-floor.ts). Target: renewals/s ≥ 0.5 × the floor's rate.
// Each wait from an instant stops at BILLING_DAY_SECONDS (600); BILLING_DAY_LEAD_SECONDS (60) sets "a minute ahead".
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { createBillingActivities } from '../src/activities';
import { createSandboxProvider } from '../src/payments/sandbox-provider';
import type { TeamSubscriptionView } from '../src/workflows';
import { inBatches } from './fixtures/batches';
import { billingDayTeams, type BillingDayTeam } from './fixtures/billing-day-teams';
import { countingCpu, cpuByProcess, type CpuUse } from './fixtures/cpu-use';
import { renewalInvariant, renewalRecordedAt, renewalsRecorded } from './fixtures/renewal-ledger';
import { figure, startBenchApi } from './fixtures/servers';
import { workflowBacklog } from './fixtures/task-queue';
import { startTimerFloor } from './fixtures/timer-floor';

const TEAMS = Number(process.env.BILLING_DAY_TEAMS ?? 10_000);
/** The instant is this far ahead of the last start asked for, and 10 ms more per start, so every timer is set before it. */
const LEAD_MS = Number(process.env.BILLING_DAY_LEAD_SECONDS ?? 60) * 1000;
const START_BUDGET_MS = 10;
/** The floor's timers need only be set before their instant. */
const FLOOR_LEAD_MS = 10_000;
const LIMIT_MS = Number(process.env.BILLING_DAY_SECONDS ?? 600) * 1000;
const TARGET_RATIO = 0.5;
const TEAM_PREFIX = 'billing-day-';

/** What happened from the instant on: each one's lateness, sorted (ms), and the CPU spent until the last. */
interface InstantRun {
  done: number;
  lateMs: number[];
  cpu: CpuUse;
  windowS: number;
}

/** Waits for the instant, then until `expected` are done (or the limit), counting CPU; lateness from `recordedAt`. */
async function fromInstant(atMs: number, expected: number, done: () => Promise<number>, recordedAt: () => Promise<number[]>): Promise<InstantRun> {
  await sleep(Math.max(0, atMs - Date.now()));
  const cpu: CpuUse = new Map();
  let count = 0;
  await countingCpu(cpu, async () => {
    for (let polls = 1; (count = await done()) < expected && Date.now() - atMs < LIMIT_MS; polls++) {
      if (polls % 40 === 0) console.log(`  ${figure(count)} of ${figure(expected)} done ${seconds(Date.now() - atMs)} after the instant`);
      await sleep(250);
    }
  });
  const windowS = (Date.now() - atMs) / 1000;
  return { done: count, lateMs: (await recordedAt()).map((ms) => ms - atMs).sort((a, b) => a - b), cpu, windowS };
}

/** Waits until the worker has run every first workflow task; says how long before the instant that was. */
async function untilSet(client: Client, taskQueue: string, atMs: number, what: string): Promise<void> {
  while ((await workflowBacklog(client, taskQueue)) > 0) await sleep(500);
  const ahead = (atMs - Date.now()) / 1000;
  console.log(ahead > 0 ? `  ${what}: every timer set ${figure(ahead, 1)} s before the instant` : `  ${what}: timers still being set ${figure(-ahead, 1)} s AFTER the instant`);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const seconds = (ms: number) => `${figure(ms / 1000, 2)} s`;

function summary(run: InstantRun) {
  const lastMs = run.lateMs.at(-1) ?? NaN;
  return { lastMs, perSecond: run.lateMs.length / (lastMs / 1000), p50: percentile(run.lateMs, 50), p99: percentile(run.lateMs, 99) };
}

function describeMix(teams: BillingDayTeam[]): string {
  const count = (test: (team: BillingDayTeam) => boolean) => figure(teams.filter(test).length);
  return `${count((t) => t.mix.interval === 'month')} monthly, ${count((t) => t.mix.interval === 'year')} annual; `
    + `${count((t) => t.mix.added + t.mix.removed > 0)} with member changes, ${count((t) => t.mix.credits > 0)} with credits, `
    + `${count((t) => t.mix.balance > 0)} with a balance, ${count((t) => t.mix.declines)} with a declining card`;
}

export async function run(): Promise<void> {
  const { servers, taskQueue, close } = await startBenchApi('billing-day');
  const { client, db } = servers;
  const activities = createBillingActivities({ db, payments: createSandboxProvider({ db }) });
  try {
    // ---- the floor: timers at one instant, one row each ----
    const floor = await startTimerFloor({ client, connection: servers.nativeConnection, db, count: TEAMS });
    let t = Date.now();
    const floorAt = t + FLOOR_LEAD_MS + TEAMS * START_BUDGET_MS;
    await floor.start(floorAt);
    console.log(`floor: ${figure(TEAMS)} no-op workflows started in ${seconds(Date.now() - t)}, timers due at ${new Date(floorAt).toISOString()}`);
    await untilSet(client, floor.taskQueue, floorAt, 'floor');
    const floorRun = await fromInstant(floorAt, TEAMS, () => floor.written(), () => floor.writtenAt());
    await floor.close();

    // ---- the teams: set up today, then moved to the eve of their renewals ----
    t = Date.now();
    const teams: BillingDayTeam[] = new Array<BillingDayTeam>(TEAMS);
    const setUp = billingDayTeams(client, taskQueue, activities);
    await inBatches(TEAMS, async (i) => {
      teams[i] = await setUp.setUp(i);
      if ((i + 1) % 1000 === 0) console.log(`  ${figure(i + 1)} teams set up in ${seconds(Date.now() - t)}`);
    });
    console.log(`${figure(TEAMS)} teams subscribed with their period's changes in ${seconds(Date.now() - t)}: ${describeMix(teams)}`);
    if (setUp.lostAnswers() > 0) console.log(`  ${figure(setUp.lostAnswers())} subscribe requests answered workflow_not_found (404 from the API) although the team was subscribed`);
    t = Date.now();
    const views = new Array<TeamSubscriptionView>(TEAMS);
    await inBatches(TEAMS, async (i) => {
      views[i] = await setUp.stop(teams[i]!);
    });
    const instant = Date.now() + LEAD_MS + TEAMS * START_BUDGET_MS;
    await inBatches(TEAMS, (i) => setUp.startOnEve(teams[i]!, views[i]!, instant));
    console.log(`teams carried to the eve of their renewals (${[...new Set(teams.map((team) => team.renewsOn))].join(', ')}) in ${seconds(Date.now() - t)}; due at ${new Date(instant).toISOString()}`);
    await untilSet(client, taskQueue, instant, 'teams');
    const day = await fromInstant(instant, TEAMS, () => renewalsRecorded(db, TEAM_PREFIX), () => renewalRecordedAt(db, TEAM_PREFIX));

    // ---- the figures, each beside its floor ----
    const [ours, base] = [summary(day), summary(floorRun)];
    const ratio = ours.perSecond / base.perSecond;
    console.log(`\n${figure(day.done)} of ${figure(TEAMS)} renewals recorded (floor: ${figure(floorRun.done)} rows)${day.done < TEAMS ? ' — stopped at the time limit' : ''}`);
    console.log(`instant → last renewal paid and recorded: ${seconds(ours.lastMs)} (floor, last row written: ${seconds(base.lastMs)})`);
    console.log(`renewals per second: ${figure(ours.perSecond, 1)} (floor: ${figure(base.perSecond, 1)} timers+rows/s); ratio ${figure(ratio, 2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
    console.log(`lateness per team: p50 ${seconds(ours.p50)}, p99 ${seconds(ours.p99)} (floor: p50 ${seconds(base.p50)}, p99 ${seconds(base.p99)})`);
    const floorCpu = new Map(cpuByProcess(floorRun.cpu));
    for (const [name, cpuSeconds] of cpuByProcess(day.cpu)) {
      const floorSeconds = floorCpu.get(name) ?? 0;
      console.log(`CPU ${name}: ${figure(cpuSeconds, 1)} s over ${figure(day.windowS, 1)} s (${figure((100 * cpuSeconds) / day.windowS)}% of a core), ${figure((1000 * cpuSeconds) / TEAMS, 1)} ms per renewal`
        + ` (floor: ${figure(floorSeconds, 1)} s over ${figure(floorRun.windowS, 1)} s, ${figure((1000 * floorSeconds) / TEAMS, 1)} ms per timer)`);
    }
    console.log('ledger invariant over every team:');
    for (const line of await renewalInvariant(db, teams)) console.log(`  ${line}`);
  } catch (error) {
    console.log(`billing-day failed: ${(error as Error).stack ?? String(error)}`);
    throw error;
  } finally {
    await close();
  }
}
