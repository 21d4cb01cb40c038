// `npm run bench -- prices`: a price published to SEATBILL_BENCH_TEAMS (10,000) running team workflows (issue 23).
// The teams run on a dev server with one worker, each on Basic monthly (started from the state the reconciliation
// sweep would start them from: stateFromLedger), with its ledger row and its published view (the read model the
// publication reads to find them). Then POST /v1/prices publishes Basic monthly at 1500 through the real API, which
// starts the fan-out workflow (pricePublication) that signals each team, paced by the worker's queue; a team has the
// change scheduled once it has recorded its price_change_notice (the same handler schedules it). Printed: the request's time, the time until every team has it, the machine's load and the
// worker's backlog meanwhile, and a sample of teams' state read back. The floor: the same number of plain
// notifications written straight to the ledger in batches, the cheapest way a notice can reach every team.
import type { AddressInfo } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { loadavg } from 'node:os';
import { addMonths, dayOf, dayOfMonth, instantFromEpochMs } from '../src/domain';
import { stateQuery, teamSubscription, teamWorkflowId } from '../src/workflows';
import { TeamId } from '../src/workflows/search-attributes';
import { stateFromLedger } from '../src/workflows/team/state';
import { figure, startBenchApi } from './fixtures/servers';
import { workflowBacklog } from './fixtures/task-queue';

const TEAMS = Number(process.env.SEATBILL_BENCH_TEAMS ?? 10_000);
const IN_FLIGHT = 32;
const SAMPLE = 100;
const LIMIT_MS = Number(process.env.SEATBILL_BENCH_SECONDS ?? 900) * 1000;
const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

export async function run(): Promise<void> {
  const { app, token, servers, taskQueue, close } = await startBenchApi('prices');
  const { db, client } = servers;
  const http = createHttpServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const backlog = () => workflowBacklog(client, taskQueue);
  try {
    const today = dayOf(instantFromEpochMs(Date.now()));
    const period = { start: today, end: addMonths(today, 1, dayOfMonth(today)) };
    const teamIds = Array.from({ length: TEAMS }, (_, i) => `prices-${i}`);
    // The ledger rows and read model a running system has for its teams, written in batches.
    for (let i = 0; i < TEAMS; i += 1000) {
      const batch = teamIds.slice(i, i + 1000);
      await db('teams').insert(batch.map((id) => ({ id, name: id, billing_country: 'US' })));
      await db('subscription_views').insert(batch.map((id) => ({
        team_id: id, version: 1, published_at: new Date(), view: JSON.stringify({ plan: 'basic', interval: 'month', status: 'active', periodEnd: period.end }),
      })));
    }
    let t = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < TEAMS) {
        const i = next++;
        const teamId = teamIds[i]!;
        const input = { teamId, team: { name: teamId, billingCountry: 'US' }, members: 3, paymentMethod: VISA };
        const carried = stateFromLedger(input, {
          plan: 'basic', interval: 'month', period, anchorDay: dayOfMonth(today), members: 3, paymentMethod: VISA, dunning: null, pendingChange: null, hadTrial: false,
        }, today);
        await client.workflow.start(teamSubscription, { taskQueue, workflowId: teamWorkflowId(teamId), args: [{ ...input, carried }], typedSearchAttributes: [{ key: TeamId, value: teamId }] });
        if ((i + 1) % 2000 === 0) console.log(`  ${figure(i + 1)} teams started in ${figure((performance.now() - t) / 1000, 1)} s`);
      }
    }));
    while ((await backlog()) > 0) await new Promise((resolve) => setTimeout(resolve, 2_000));
    console.log(`${figure(TEAMS)} teams running on Basic monthly (period ${period.start} → ${period.end}) in ${figure((performance.now() - t) / 1000, 1)} s`);

    // The floor: a notice to every team written straight to the ledger, no workflow involved.
    t = performance.now();
    for (let i = 0; i < TEAMS; i += 1000) {
      await db('notifications').insert(teamIds.slice(i, i + 1000).map((id) => ({ team_id: id, idempotency_key: `floor:${id}`, kind: 'bench_floor', on: today, payload: '{}' })));
    }
    const floorMs = performance.now() - t;

    const notified = async () => Number((await db('notifications').where({ kind: 'price_change_notice' }).count({ n: '*' }).first())?.n ?? 0);
    const load: number[] = [];
    let peakBacklog = 0;
    t = performance.now();
    const response = await fetch(`${base}/v1/prices`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `prices-${Date.now()}` },
      body: JSON.stringify({ plan: 'basic', interval: 'month', amount: 1500 }),
    });
    const published = (await response.json()) as { version?: { version: number }; fanOutWorkflowId?: string };
    const requestMs = performance.now() - t;
    if (!response.ok || !published.fanOutWorkflowId) throw new Error(`POST /v1/prices: ${response.status} ${JSON.stringify(published)}`);
    console.log(`POST /v1/prices answered ${response.status} in ${figure(requestMs / 1000, 2)} s: version ${published.version?.version}, fan-out workflow ${published.fanOutWorkflowId}`);
    let have = await notified();
    while (have < TEAMS && performance.now() - t < LIMIT_MS) {
      load.push(loadavg()[0]!);
      peakBacklog = Math.max(peakBacklog, await backlog());
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      have = await notified();
      if (load.length % 15 === 0) console.log(`  ${figure(have)} teams have it ${figure((performance.now() - t) / 1000, 1)} s after the request; load ${figure(load.at(-1)!, 2)}`);
    }
    const allMs = performance.now() - t;
    const fanOut = await client.workflow.getHandle(published.fanOutWorkflowId).describe();
    console.log(`the fan-out workflow: ${fanOut.status.name}, ${fanOut.historyLength} events in its last run`);
    console.log(`${figure(have)} of ${figure(TEAMS)} teams had the change scheduled ${figure(allMs / 1000, 1)} s after the request (${figure(have / (allMs / 1000))} teams/s)` +
      `${have < TEAMS ? ' — stopped at the time limit' : ''}; floor (the notices written straight to the ledger): ${figure(floorMs / 1000, 2)} s, ratio ${figure(allMs / floorMs, 0)}×`);
    console.log(`meanwhile: load average (1 min) peak ${figure(Math.max(0, ...load), 2)}, mean ${figure(load.reduce((a, b) => a + b, 0) / Math.max(1, load.length), 2)} on ${figure(2)}-core class machines; workflow task backlog peak ${figure(peakBacklog)}`);

    // A team's view (the state query, the portal's plan page) shows the change once the change's records are written.
    const sample = Array.from({ length: Math.min(SAMPLE, TEAMS) }, (_, k) => teamIds[Math.floor((k * TEAMS) / Math.min(SAMPLE, TEAMS))]!);
    const showing = async () => (await Promise.all(sample.map((id) => client.workflow.getHandle(teamWorkflowId(id)).query(stateQuery).catch(() => null))))
      .filter((state) => state?.priceChange?.to === 1500).length;
    let shown = await showing();
    while (shown < sample.length && performance.now() - t < LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      shown = await showing();
    }
    console.log(`a sample of ${sample.length} teams across the range: ${shown} show the change to 1500 in their view ${figure((performance.now() - t) / 1000, 1)} s after the request`);
  } finally {
    http.close();
    await close();
  }
}
