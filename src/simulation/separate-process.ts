import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { SimulationReport } from './report';
import { ScenarioRejected } from './run';
import type { Scenario, ScenarioProblem } from './scenario';

/** What a simulation's process answers on stdout. */
export type SimulationAnswer = { report: SimulationReport } | { rejected: ScenarioProblem[] };

export class SimulationFailed extends Error {}

const root = resolve(__dirname, '../..');

/**
 * Runs a scenario in a process of its own (src/simulation/child.ts): its own worker and task queue on its own
 * time-skipping server, so it cannot slow the real teams' worker or the API. Past `timeoutMs` it is killed.
 * `databaseUrl` is the only Postgres server it may reach; without it the process starts an embedded one. The ledger's
 * own `DATABASE_URL` is not passed on.
 */
export function runSimulationInOwnProcess(scenario: Scenario, options: { databaseUrl?: string; timeoutMs: number }): Promise<SimulationReport> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.SIMULATION_DATABASE_URL;
  if (options.databaseUrl) env.SIMULATION_DATABASE_URL = options.databaseUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'child.ts')], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // Only the end is kept: it holds the reason of a failure.
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdin.end(JSON.stringify(scenario));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  }, options.timeoutMs);
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new SimulationFailed(`the simulation took longer than ${options.timeoutMs / 1000} s and was stopped`));
      let answer: SimulationAnswer | undefined;
      try {
        answer = JSON.parse(stdout) as SimulationAnswer;
      } catch {
        return reject(new SimulationFailed(`the simulation process exited with code ${code}: ${stderr.trim()}`));
      }
      if ('rejected' in answer) return reject(new ScenarioRejected(answer.rejected));
      resolvePromise(answer.report);
    });
  });
}
