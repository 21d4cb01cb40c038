import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from '../ledger/db';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function check(probe: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  try {
    await probe();
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, latencyMs: Date.now() - started, error: (error as Error).message };
  }
}

/** `/health`: the process is alive, with the state of its dependencies. `/ready`: 503 until Postgres and Temporal answer. */
export function healthRoutes(deps: { db: Db; temporal: Client }): Router {
  const router = Router();
  const dependencies = async () => {
    const [postgres, temporal] = await Promise.all([
      check(() => deps.db.raw('select 1')),
      check(() => deps.temporal.workflowService.getSystemInfo({})),
    ]);
    return { postgres, temporal };
  };
  router.get('/health', async (_req, res) => {
    const checks = await dependencies();
    res.json({ status: 'alive', ...checks });
  });
  router.get('/ready', async (_req, res) => {
    const checks = await dependencies();
    const ready = checks.postgres.ok && checks.temporal.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', ...checks });
  });
  return router;
}
