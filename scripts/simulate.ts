import { readFileSync } from 'node:fs';
import { runSimulation, ScenarioRejected } from '../src/simulation/run';
import { parseScenario, type ScenarioProblem } from '../src/simulation/scenario';

/**
 * `npm run simulate -- scenario.json`: the report as JSON on stdout and nothing else there; progress on stderr.
 * Exit code 2 for a scenario that does not validate (each problem names its field), 1 for anything else.
 */
function reject(problems: ScenarioProblem[]): never {
  process.stderr.write(`${JSON.stringify({ title: 'invalid scenario', errors: problems }, null, 2)}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) reject([{ field: '(argument)', message: 'usage: npm run simulate -- path/to/scenario.json' }]);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    reject([{ field: '(file)', message: `${path}: ${(error as Error).message}` }]);
  }
  const parsed = parseScenario(input);
  if (!parsed.ok) reject(parsed.problems);
  const started = Date.now();
  try {
    const report = await runSimulation(parsed.scenario, {
      databaseUrl: process.env.SIMULATION_DATABASE_URL,
      progress: (message) => process.stderr.write(`[simulate] ${message}\n`),
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`[simulate] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    if (error instanceof ScenarioRejected) reject(error.problems);
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[simulate] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
