import { Router } from 'express';
import { z } from 'zod';
import { compareDays, isDay, PERMISSIONS } from '../../domain';
import { ScenarioRejected, simulatedDays } from '../../simulation/run';
import { scenarioSchema } from '../../simulation/scenario';
import { runSimulationInOwnProcess, SimulationFailed } from '../../simulation/separate-process';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId, type Principal } from '../principal';
import { ProblemError, problem } from '../problem';

const Report = z
  .object({
    invoices: z.array(z.record(z.string(), z.unknown())),
    balance: z.array(z.object({ on: z.string(), amount: z.int(), reason: z.string() })),
    notifications: z.array(z.object({ on: z.string(), kind: z.string() })),
    final: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'SimulationReport', description: 'See shared/spec/simulation.md' });

/** How long a caller refused for a busy slot is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 10;

/**
 * `POST /v1/simulations`: a scenario through the real workflows on a time-skipping server, in a process of its own,
 * against a throwaway ledger (on SIMULATION_DATABASE_URL's server, else an embedded Postgres: never the ledger's own
 * server unless configured so) and the sandbox provider. Who: the platform, or a user whose roles on some team allow
 * plan changes (section 11). Caps: SIMULATION_MAX_DAYS, SIMULATION_MAX_EVENTS; one run at a time per caller and
 * SIMULATIONS_AT_ONCE in all, else 429 with Retry-After.
 */
export function simulationRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { config } = ctx;
  const runningFor = new Set<string>();

  const cappedScenario = scenarioSchema.superRefine((scenario, check) => {
    // Refinements run even when a field failed its own check: count days only between two real ones.
    if (isDay(scenario.start) && isDay(scenario.until) && compareDays(scenario.start, scenario.until) < 0 && simulatedDays(scenario) > config.SIMULATION_MAX_DAYS) {
      check.addIssue({ code: 'custom', path: ['until'], message: `a simulation spans at most ${config.SIMULATION_MAX_DAYS} days from start` });
    }
    if (scenario.events.length > config.SIMULATION_MAX_EVENTS) {
      check.addIssue({ code: 'custom', path: ['events'], message: `a simulation has at most ${config.SIMULATION_MAX_EVENTS} events` });
    }
  });

  async function mayRunSimulations(principal: Principal): Promise<boolean> {
    const userId = actingUserId(principal);
    if (userId === null) return true; // the platform
    const planRoles = PERMISSIONS.change_plan;
    const member = await ctx.db('team_members').where({ user_id: userId }).whereIn('role', planRoles).first('team_id');
    const manager = planRoles.includes('billing_manager') ? await ctx.db('team_billing_managers').where({ user_id: userId }).first('team_id') : undefined;
    return member !== undefined || manager !== undefined;
  }

  operation(router, ctx, {
    method: 'post', path: '/v1/simulations', tag: 'Simulations',
    summary: 'Simulate a scenario: every invoice, payment and notice it would produce (the platform, or a user who may change some team\'s plan)',
    access: { kind: 'user' }, body: cappedScenario, response: Report, errors: [403, 429, 503],
  }, async ({ body, principal, res }) => {
    if (!(await mayRunSimulations(principal))) {
      throw problem(403, 'simulations are for the platform and for users whose roles on a team allow plan changes', { code: 'forbidden' });
    }
    const caller = actingUserId(principal) ?? 'platform';
    if (runningFor.has(caller) || runningFor.size >= config.SIMULATIONS_AT_ONCE) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      const detail = runningFor.has(caller) ? 'your previous simulation is still running' : 'the engine runs as many simulations as it may';
      throw problem(429, `${detail}; try again in ${RETRY_AFTER_SECONDS} seconds`, { code: 'simulation_busy' });
    }
    runningFor.add(caller);
    try {
      return await runSimulationInOwnProcess(body, { databaseUrl: config.SIMULATION_DATABASE_URL, timeoutMs: config.SIMULATION_TIMEOUT_SECONDS * 1000 });
    } catch (error) {
      if (error instanceof ScenarioRejected) {
        const errors = error.problems.map((p) => ({ field: `body.${p.field}`, message: p.message }));
        throw new ProblemError({ status: 400, title: 'Bad Request', detail: error.message, errors });
      }
      if (error instanceof SimulationFailed) throw problem(503, error.message);
      throw error;
    } finally {
      runningFor.delete(caller);
    }
  });

  return router;
}
