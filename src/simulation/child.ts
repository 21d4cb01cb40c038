// The entry of a simulation's own process (see separate-process.ts): the scenario as JSON on stdin, one answer as
// JSON on stdout. Its worker, time-skipping server and throwaway Postgres live and die with this process, so a
// simulation takes no CPU from the API's event loop and can be stopped whatever it is doing.
import { runSimulation, ScenarioRejected } from './run';
import { parseScenario } from './scenario';
import type { SimulationAnswer } from './separate-process';

function answer(value: SimulationAnswer, exitCode: number): never {
  process.stdout.write(`${JSON.stringify(value)}\n`, () => process.exit(exitCode));
  // Exits from the write callback above, once stdout has the whole answer.
  return undefined as never;
}

// SIGTERM (a run past its time): exit through process.exit so the servers this process started are killed with it.
process.once('SIGTERM', () => process.exit(143));

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const parsed = parseScenario(JSON.parse(input));
  if (!parsed.ok) return answer({ rejected: parsed.problems }, 2);
  try {
    const report = await runSimulation(parsed.scenario, { databaseUrl: process.env.SIMULATION_DATABASE_URL || undefined });
    answer({ report }, 0);
  } catch (error) {
    if (error instanceof ScenarioRejected) answer({ rejected: error.problems }, 2);
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`simulation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
