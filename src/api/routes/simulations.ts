import { Router } from 'express';
import { z } from 'zod';
import { runSimulation, ScenarioRejected } from '../../simulation/run';
import { scenarioSchema } from '../../simulation/scenario';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { ProblemError, problem } from '../problem';

const Report = z
  .object({
    invoices: z.array(z.record(z.string(), z.unknown())),
    balance: z.array(z.object({ on: z.string(), amount: z.int(), reason: z.string() })),
    notifications: z.array(z.object({ on: z.string(), kind: z.string() })),
    final: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'SimulationReport', description: 'See shared/spec/simulation.md' });

/**
 * `POST /v1/simulations`: a scenario through the real workflows on a time-skipping server, against a throwaway
 * database on the API's Postgres server and the sandbox provider. One at a time: each starts a test server.
 */
export function simulationRoutes(ctx: ApiContext): Router {
  const router = Router();
  let running = false;
  const serverUrl = () => {
    const connection = ctx.db.client.config.connection as string | { connectionString?: string };
    return typeof connection === 'string' ? connection : connection.connectionString;
  };

  operation(router, ctx, {
    method: 'post', path: '/v1/simulations', tag: 'Simulations', summary: 'Simulate a scenario: every invoice, payment and notice it would produce',
    access: { kind: 'user' }, body: scenarioSchema, response: Report, errors: [503],
  }, async ({ body, res }) => {
    if (running) {
      res.setHeader('Retry-After', '5');
      throw problem(503, 'a simulation is already running; try again in a few seconds');
    }
    running = true;
    try {
      return await runSimulation(body, { databaseUrl: serverUrl() });
    } catch (error) {
      if (error instanceof ScenarioRejected) {
        const errors = error.problems.map((p) => ({ field: `body.${p.field}`, message: p.message }));
        throw new ProblemError({ status: 400, title: 'Bad Request', detail: error.message, errors });
      }
      throw error;
    } finally {
      running = false;
    }
  });

  return router;
}
