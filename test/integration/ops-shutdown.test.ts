import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/infra/ports';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { integrationEnv } from '../support/integration-env';

// `npm start`'s process (src/main.ts, all roles in one) on the integration servers: it serves /metrics on the API
// and on METRICS_PORT, and on SIGTERM it lets an in-flight request finish, drains its worker, and exits 0.
const root = join(__dirname, '../..');
let testDb: TestDatabase;
let engine: ChildProcess;
const output: string[] = [];
const taskQueue = `ops-shutdown-${randomBytes(4).toString('hex')}`;
let apiPort: number;
let metricsPort: number;

beforeAll(async () => {
  const { temporalAddress } = integrationEnv();
  testDb = await createTestDatabase();
  [apiPort, metricsPort] = [await freePort(), await freePort()];
  engine = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, SEATBILL_ROLE: 'all', PORT: String(apiPort), METRICS_PORT: String(metricsPort), DATABASE_URL: testDb.url,
      TEMPORAL_ADDRESS: temporalAddress, TASK_QUEUE: taskQueue, DATA_DIR: mkdtempSync(join(tmpdir(), 'seatbill-shutdown-')),
      BILLING_SERVICE_TOKEN: 'sbt_shutdown_tests_0123456789', LOG_LEVEL: 'info', METRICS_TOKEN: 'metrics-token-of-the-shutdown-tests',
    },
  });
  engine.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  engine.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 150_000;
  while (!(await fetch(`http://127.0.0.1:${apiPort}/ready`).then((res) => res.ok, () => false))) {
    if (engine.exitCode !== null || Date.now() > deadline) throw new Error(`the engine did not get ready:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}, 180_000);

afterAll(async () => {
  if (engine?.exitCode === null) engine.kill('SIGKILL');
  // main.ts put the engine's schedules on the shared dev server for this test's task queue: take them away.
  const connection = await Connection.connect({ address: integrationEnv().temporalAddress });
  for (const id of ['credit-expiry', 'renewal-sweep']) {
    const handle = new Client({ connection }).schedule.getHandle(id);
    if ((await handle.describe().catch(() => null))?.action.taskQueue === taskQueue) await handle.delete();
  }
  await connection.close();
  await testDb?.drop();
});

test('metrics are served by the API and on METRICS_PORT from one registry', async () => {
  const api = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: { authorization: 'Bearer metrics-token-of-the-shutdown-tests' } })).text();
  const worker = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  for (const text of [api, worker]) expect(text).toContain('# TYPE seatbill_charges_total counter');
  expect(worker).toContain('route="/ready"'); // the API's requests, counted in the same registry
});

test('on SIGTERM an in-flight request finishes, the worker drains, and the process exits 0', async () => {
  // A request whose body is still arriving when SIGTERM comes: the server must wait for it, not drop it.
  const socket = connect(apiPort, '127.0.0.1');
  const response = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = JSON.stringify({ name: 'Acme', billingCountry: 'US' });
  socket.write(`POST /v1/teams HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nX-Request-Id: shutdown-check\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  // 'close', not 'exit': the process's last lines may still be in its pipes when it exits.
  const exited = new Promise<number | null>((resolve) => engine.once('close', (code) => resolve(code)));
  engine.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  socket.end(body.slice(5));

  expect(await response).toMatch(/^HTTP\/1\.1 401 .*x-request-id: shutdown-check/is); // answered (no token), after SIGTERM
  expect(await exited).toBe(0);
  const lines = output.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const index = (match: (line: Record<string, unknown>) => boolean) => lines.findIndex(match);
  const shuttingDown = index((line) => line.msg === 'shutting down');
  const completed = index((line) => line.msg === 'request completed' && line.requestId === 'shutdown-check');
  const drained = index((line) => line.msg === 'Worker state changed' && line.state === 'DRAINED');
  const stopped = index((line) => line.msg === 'stopped');
  expect(shuttingDown).toBeGreaterThanOrEqual(0);
  // After SIGTERM: the request was answered, the worker drained, the engine said it stopped. (The SDK logs DRAINED
  // from its own state stream, so its line may land on either side of the request's or of `stopped`.)
  expect({ completed: completed > shuttingDown, drained: drained > shuttingDown, stopped: stopped > shuttingDown }).toEqual({ completed: true, drained: true, stopped: true });
}, 60_000);
