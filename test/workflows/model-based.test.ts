// Model-based tests: random team timelines (test/support/model/timelines.ts) through the real team workflow and
// activities on the time-skipping server, against a real Postgres ledger, with the invariants of
// test/support/model/team-invariants.ts and the ledger invariant checked after every step.
// FUZZ_RUNS (default 200) timelines from FUZZ_SEED (default fixed, so CI runs the same ones each time). A failure
// is shrunk, written as a scenario that `npm run simulate -- <file>` reproduces, and reported with its problems.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { openIsolatedLedger, type IsolatedLedger } from '../../src/simulation/isolated-ledger';
import { SimulationEngine } from '../../src/simulation/engine';
import { parseScenario, type Scenario } from '../../src/simulation/scenario';
import { checkLedgerInvariant } from '../support/ledger-invariant';
import { TimelineRunner, type TimelineOutcome } from '../support/model/timeline-runner';
import { timelines } from '../support/model/timelines';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SHRINK_LIMIT_MS = 15 * 60_000;

let ledger: IsolatedLedger;
let engine: SimulationEngine;
let teams = 0;

beforeAll(async () => {
  ledger = await openIsolatedLedger();
  engine = await SimulationEngine.start({ db: ledger.db });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await ledger?.close();
});

function run(scenario: Scenario): Promise<TimelineOutcome> {
  teams += 1;
  return TimelineRunner.run(engine, ledger.db, scenario, `model-${SEED}-${teams}`);
}

test('every generated timeline is a valid scenario', () => {
  fc.assert(fc.property(timelines, (scenario) => parseScenario(scenario).ok), { numRuns: 500, seed: SEED });
});

/** Timelines earlier long runs found breaking an invariant (test/workflows/fixtures/model-found): each runs on every CI. */
const foundDir = join(__dirname, 'fixtures/model-found');
const found = readdirSync(foundDir).filter((file) => file.endsWith('.json')).map((file) => {
  const { refused, scenario } = JSON.parse(readFileSync(join(foundDir, file), 'utf8')) as { found: string; refused: number; scenario: unknown };
  return { name: file.replace(/\.json$/, ''), refused, scenario };
});

test.each(found)('$name keeps every invariant', async ({ refused, scenario }) => {
  const parsed = parseScenario(scenario);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const outcome = await run(parsed.scenario);
  expect(outcome.problems).toEqual([]);
  expect(outcome.refused).toBe(refused); // the request the fix refuses, and no other
}, 180_000);

test(`${RUNS} random timelines keep every invariant (seed ${SEED})`, async () => {
  const figures = { timelines: 0, events: 0, refused: 0, invoices: 0, failedAt: 0 };
  const result = await fc.check(
    fc.asyncProperty(timelines, async (scenario) => {
      const outcome = await run(scenario);
      figures.timelines += 1;
      figures.events += scenario.events.length;
      figures.refused += outcome.refused;
      if (outcome.problems.length > 0 && !figures.failedAt) {
        figures.failedAt = figures.timelines; // said at once: shrinking can take minutes
        process.stdout.write(`[model] timeline ${figures.timelines} broke an invariant; shrinking it:\n  ${outcome.problems.join('\n  ')}\n`);
      }
      return outcome.problems.length === 0;
    }),
    // Shrinking runs whole timelines again: bounded, it still ends with the smallest failing timeline found by then.
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: SHRINK_LIMIT_MS + RUNS * 10_000 },
  );
  figures.invoices = Number((await ledger.db('invoices').count({ n: '*' }).first())?.n ?? 0);
  process.stdout.write(`[model] seed ${SEED}: ${JSON.stringify(figures)}\n`);
  // Each step checked its own team's part of the ledger; the whole of it, every team together, is checked once here.
  if (!result.failed) process.stdout.write(`[model] the whole ledger: ${JSON.stringify(await checkLedgerInvariant(ledger.db))}\n`);
  expect(result.interrupted && !result.failed).toBe(false); // every run was made
  if (!result.failed) return;
  const [scenario] = result.counterexample!;
  const outcome = await run(scenario);
  const dir = join(__dirname, '../../artifacts/model-based');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `failing-seed-${SEED}.json`);
  writeFileSync(file, `${JSON.stringify(outcome.accepted, null, 2)}\n`);
  throw new Error(`a timeline broke an invariant (seed ${SEED}, shrunk ${result.numShrinks} times); reproduce with\n` +
    `  npm run simulate -- ${file}\nproblems:\n  ${(outcome.problems.length ? outcome.problems : [`(not reproduced: ${String(result.errorInstance)})`]).join('\n  ')}`);
}, Math.max(3_600_000, RUNS * 15_000)); // a timeline takes a second or two; FUZZ_RUNS in the thousands takes hours
