// `npm run bench -- billing-day` (issue 24): BILLING_DAY_TEAMS (10,000) teams on the dev server, all due to renew at
// one instant a minute ahead. The teams are set up through the workflow calls the API makes: a mix of monthly and
// annual, Basic and Professional, member changes (the renewal's member-change lines), credits and a balance, 2% with
// a card that declines (bench/fixtures/billing-day-teams.ts); then each is carried to the eve of its renewal by its
// business clock's offset, so every renewal timer fires at the instant. Printed: time from the instant to the last
// renewal paid (or its decline recorded and dunning begun), renewals per second, p50/p99 lateness per team, the CPU
// of the Temporal server, the workers and Postgres over that window, then the ledger invariant over the run's teams.
// The floor, measured once at the start: as many workflows whose timers fire at one instant, each running one
// activity that inserts one row (bench/fixtures/timer-floor.ts). Target: renewals/s ≥ 0.5 × the floor's rate.
// The billing day runs up to three times, each on fresh teams (bench/fixtures/billing-day-run.ts), BILLING_DAY_RUNS
// (`single,killed,limited`, the default) choosing which: one in-process worker; two worker processes of the
// production entry point with one SIGKILLed halfway; two with PAYMENT_PROVIDER_MAX_RPS=BILLING_DAY_MAX_RPS (25,
// Stripe's test-mode cap), the server's dispatches of the charges queue judged by the token bucket it promises and
// the provider's busiest second beside them.
// Each wait from an instant stops at BILLING_DAY_SECONDS (600: covers the killed worker's activities' 1 minute
// startToCloseTimeout); BILLING_DAY_LEAD_SECONDS (60) sets "a minute ahead".
import { createBillingActivities } from '../src/activities';
import { createSandboxProvider } from '../src/payments/sandbox-provider';
import { reportRun, reportScaleOut, TARGET_RATIO, type Floor } from './fixtures/billing-day-report';
import { runBillingDay, VARIANTS, VARIANT_WORKERS, type BillingDayRun, type BillingDaySettings, type Variant } from './fixtures/billing-day-run';
import { fromInstant, seconds, untilSet } from './fixtures/instant-run';
import { benchWorkerTuning, figure, startBenchApi, type BenchServers } from './fixtures/servers';
import { startTimerFloor } from './fixtures/timer-floor';

const TEAMS = Number(process.env.BILLING_DAY_TEAMS ?? 10_000);
/** The instant is this far ahead of the last start asked for, and 10 ms more per start, so every timer is set before it. */
const LEAD_MS = Number(process.env.BILLING_DAY_LEAD_SECONDS ?? 60) * 1000;
const START_BUDGET_MS = 10;
/** The floor's timers need only be set before their instant. */
const FLOOR_LEAD_MS = 10_000;
const LIMIT_MS = Number(process.env.BILLING_DAY_SECONDS ?? 600) * 1000;
const MAX_RPS = Number(process.env.BILLING_DAY_MAX_RPS ?? 25);

/** BILLING_DAY_RUNS, in the order they run. */
function chosenRuns(value = process.env.BILLING_DAY_RUNS): Variant[] {
  if (!value) return [...VARIANTS];
  const asked = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = asked.filter((name) => !(VARIANTS as readonly string[]).includes(name));
  if (unknown.length > 0 || asked.length === 0) throw new Error(`BILLING_DAY_RUNS: unknown run ${unknown.join(', ')}; known: ${VARIANTS.join(', ')}`);
  return VARIANTS.filter((variant) => asked.includes(variant));
}

/** The floor: TEAMS timers at one instant, one row each. */
async function measureFloor(servers: BenchServers): Promise<Floor> {
  const { client, db } = servers;
  const floor = await startTimerFloor({ client, connection: servers.nativeConnection, db, count: TEAMS });
  const t = Date.now();
  const floorAt = t + FLOOR_LEAD_MS + TEAMS * START_BUDGET_MS;
  await floor.start(floorAt);
  console.log(`floor: ${figure(TEAMS)} no-op workflows started in ${seconds(Date.now() - t)}, timers due at ${new Date(floorAt).toISOString()}`);
  await untilSet(client, floor.taskQueue, floorAt, 'floor');
  const run = await fromInstant(floorAt, TEAMS, LIMIT_MS, () => floor.written(), () => floor.writtenAt());
  await floor.close();
  return { run, count: TEAMS };
}

export async function run(): Promise<void> {
  const variants = chosenRuns();
  const { servers, taskQueue, close } = await startBenchApi('billing-day');
  const activities = createBillingActivities({ db: servers.db, payments: createSandboxProvider({ db: servers.db }) });
  const settings: BillingDaySettings = { servers, taskQueue, activities, teams: TEAMS, leadMs: LEAD_MS, startBudgetMs: START_BUDGET_MS, limitMs: LIMIT_MS, maxRps: MAX_RPS };
  try {
    const tuning = benchWorkerTuning();
    console.log(`every worker, the floor's too: maxCachedWorkflows ${figure(tuning.maxCachedWorkflows)} (WORKER_* settings, src/config.ts)`);
    const floor = await measureFloor(servers);
    const runs = new Map<Variant, BillingDayRun>();
    const report = (variant: Variant) => {
      console.log(`\n[${variant}] ${VARIANT_WORKERS[variant]}`);
      for (const line of reportRun(runs.get(variant)!, floor, MAX_RPS, runs.get('single')?.chargesPerSecond ?? null)) console.log(`  ${line}`);
    };
    for (const variant of variants) {
      runs.set(variant, await runBillingDay(settings, variant));
      report(variant); // as each run ends: a bench stopped later still shows the runs before
    }

    console.log(`\nfigures beside the floor (${figure(TEAMS)} timers at one instant, one row each; measured once, first); target renewals/s ≥ ${TARGET_RATIO} × the floor's`);
    for (const variant of runs.keys()) report(variant);
    const [single, killed] = [runs.get('single'), runs.get('killed')];
    if (single && killed) {
      console.log('\nwhat the second worker process adds (killed run against the single one):');
      for (const line of reportScaleOut(single, killed)) console.log(`  ${line}`);
    }
  } catch (error) {
    console.log(`billing-day failed: ${(error as Error).stack ?? String(error)}`);
    throw error;
  } finally {
    await close();
  }
}
