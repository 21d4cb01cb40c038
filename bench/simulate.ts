import { addDays, addMonths, compareDays } from '../src/domain';
import { runSimulation, simulatedDays } from '../src/simulation/run';
import { parseScenario, type Scenario } from '../src/simulation/scenario';

/** Three years of monthly billing with a member change every month (alternately one added, one removed). */
function threeYearScenario(): Scenario {
  const start = '2026-01-10';
  const until = '2029-01-10';
  const events: unknown[] = [{ on: start, action: 'subscribe', plan: 'basic', interval: 'month' }];
  for (let month = 0, on = addDays(start, 5); compareDays(on, until) < 0; month += 1, on = addMonths(addDays(start, 5), month)) {
    events.push({ on, action: month % 2 === 0 ? 'addMembers' : 'removeMembers', count: 1 });
  }
  const parsed = parseScenario({ start, until, team: { members: 10 }, events });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

/** `npm run bench -- simulate`: the whole run, server start and throwaway ledger included. Target: under 20 s. */
export async function run(): Promise<void> {
  const scenario = threeYearScenario();
  const started = performance.now();
  const report = await runSimulation(scenario);
  const seconds = (performance.now() - started) / 1000;
  const days = simulatedDays(scenario);
  console.log(`scenario: ${scenario.start} to ${scenario.until}, ${scenario.events.length} events, ${report.invoices.length} invoices`);
  console.log(`wall time, server start included: ${seconds.toFixed(1)} s (target < 20 s: ${seconds < 20 ? 'met' : 'NOT met'})`);
  console.log(`simulated days per wall-clock second: ${Math.round(days / seconds)}`);
}
