// `npm run bench -- entitlements`: GET /v1/teams/{id}/entitlements as the SaaS calls it, on every request of its
// own. An open loop on loopback: 200 requests per second for 10 seconds spread over 20 teams, through the real API
// (authentication, team lookup in Postgres, the team's published subscription: one row of the read model) against a Temporal dev
// server. Target: p99 under 10 ms. autocannon is not a dependency: a bounded open loop of keep-alive requests.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { figure, startBenchApi } from './fixtures/servers';

const RATE = 200;
const SECONDS = 10;
const TEAMS = 20;
const TARGET_P99_MS = 10;
const MAX_IN_FLIGHT = 256;

export async function run(): Promise<void> {
  const { app, token, close } = await startBenchApi('entitlements');
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(agent, (server.address() as AddressInfo).port, method, path, { authorization: `Bearer ${token}`, ...headers }, body);
  try {
    const user = await call('POST', '/v1/users', { email: `bench-${randomUUID()}@example.com`, name: 'Bench' }, { 'idempotency-key': randomUUID() });
    const userId = (JSON.parse(user.body) as { id: string }).id;
    const teams: string[] = [];
    for (let i = 0; i < TEAMS; i++) {
      const team = await call('POST', '/v1/teams', { name: `Bench ${i}`, billingCountry: 'US' }, { 'idempotency-key': randomUUID(), 'x-acting-user': userId });
      teams.push((JSON.parse(team.body) as { id: string }).id);
    }
    for (const teamId of teams) await call('GET', `/v1/teams/${teamId}/entitlements`); // warm: connections, and each workflow has published

    const entitlements = await openLoop((i) => call('GET', `/v1/teams/${teams[i % TEAMS]}/entitlements`));
    // The same middleware (authentication, the team's row) without the entitlements: what the API costs anyway.
    const baseline = await openLoop((i) => call('GET', `/v1/teams/${teams[i % TEAMS]}`));
    console.log(`GET /v1/teams/{id}/entitlements, ${TEAMS} teams, open loop at ${RATE}/s for ${SECONDS} s on loopback`);
    report('entitlements', entitlements);
    report('baseline GET /v1/teams/{id}', baseline);
    console.log(`machine load average (1 min) at the end: ${figure(loadavg()[0]!, 2)} on 2 cores: other processes' work shows up in the tail`);
    const p99 = entitlements.at(0.99);
    const met = p99 < TARGET_P99_MS && entitlements.errors === 0 && entitlements.dropped === 0;
    console.log(`target p99 < ${TARGET_P99_MS} ms at ${RATE}/s: ${met ? 'met' : 'NOT met'}`);
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
    await close();
  }
}

function send(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface LoopResult {
  answered: number;
  errors: number;
  dropped: number;
  seconds: number;
  at(quantile: number): number;
  max: number;
}

/** RATE requests a second for SECONDS, each sent on time whatever the earlier ones are doing (an open loop). */
async function openLoop(send: (i: number) => Promise<{ status: number }>): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let dropped = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < RATE * SECONDS; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      dropped += 1;
      continue;
    }
    inFlight += 1;
    const sent = performance.now();
    pending.push(
      send(i)
        .then((res) => {
          if (res.status !== 200) errors += 1;
          latencies.push(performance.now() - sent);
        }, () => void (errors += 1))
        .finally(() => void (inFlight -= 1)),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return {
    answered: latencies.length, errors, dropped, seconds: (performance.now() - started) / 1000, max: latencies.at(-1) ?? NaN,
    at: (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN,
  };
}

function report(name: string, r: LoopResult): void {
  console.log(`${name}: ${r.answered} answered in ${figure(r.seconds, 1)} s (${figure(r.answered / r.seconds)}/s), ${r.errors} errors, ${r.dropped} not sent;`
    + ` ms p50 ${figure(r.at(0.5), 2)}  p90 ${figure(r.at(0.9), 2)}  p99 ${figure(r.at(0.99), 2)}  max ${figure(r.max, 2)}`);
}
