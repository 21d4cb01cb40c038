// An Idempotency-Key's claim is a lease: when the API process dies mid-request, a retry of the same request takes
// the key over once the lease lapses (not 24 hours later), and what the first attempt did is not done again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiHarness } from '../support/api-harness';
import { integrationEnv } from '../support/integration-env';

const LEASE_SECONDS = 2;
let api: ApiHarness;
let apiProcess: ChildProcess | undefined;

beforeAll(async () => {
  api = await ApiHarness.start({ env: { IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS) } });
}, 120_000);
afterAll(async () => {
  apiProcess?.kill('SIGKILL');
  await api?.teardown();
}, 60_000);
jest.setTimeout(120_000);

/** The API in a child process on the same database, Temporal server and task queue as the harness's worker. */
async function startApiProcess(): Promise<{ child: ChildProcess; port: number }> {
  const config = api.app.locals.api.config;
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/api-process.ts')], {
    cwd: join(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, DATABASE_URL: api.testDb.url, TEMPORAL_ADDRESS: integrationEnv().temporalAddress, TASK_QUEUE: config.TASK_QUEUE,
      BILLING_SERVICE_TOKEN: api.serviceToken, IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS), DATA_DIR: mkdtempSync(join(tmpdir(), 'seatbill-lease-')),
    },
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(output);
      if (line) resolve(Number(line[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the API process exited with ${code}: ${output}`)));
  });
  return { child, port };
}

test('a request whose API process was killed after billing a member completes on retry: billed once and listed', async () => {
  const owner = await api.createUser('owner');
  const teamId = await api.createTeam(owner.id);
  const alice = await api.createUser('alice');
  const key = randomUUID();
  const body = { userId: alice.id, role: 'member' };

  // The member list is held by an open transaction of the test, so the request stops after the workflow billed
  // the member and before it lists them; there the process is killed.
  const listing = await api.db.transaction();
  await listing('team_members').insert({ team_id: teamId, user_id: alice.id, role: 'member' });
  const started = await startApiProcess();
  apiProcess = started.child;
  const inFlight = fetch(`http://127.0.0.1:${started.port}/v1/teams/${teamId}/members`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.token}`, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => 'killed');
  await api.eventually(async () => ((await api.state(teamId)).members === 2 ? true : undefined));
  started.child.kill('SIGKILL');
  expect(await inFlight).toBe('killed');
  await listing.rollback();

  // Retried as a client would, honouring Retry-After while the dead request's lease runs out.
  let retry = await api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, body, key);
  for (let attempt = 0; retry.status === 409 && attempt < 10; attempt += 1) {
    expect(retry.body.code).toBe('idempotency_key_in_use');
    await new Promise((resolve) => setTimeout(resolve, Number(retry.headers['retry-after']) * 1000));
    retry = await api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, body, key);
  }
  expect(retry.status).toBe(201);
  expect(retry.body).toEqual({ members: 2, restricted: false });
  expect((await api.state(teamId)).members).toBe(2);
  const listed = await api.call(api.withToken(owner.token), 'get', `/v1/teams/${teamId}/members`).expect(200);
  expect(listed.body.map((m: { userId: string }) => m.userId).sort()).toEqual([alice.id, owner.id].sort());
  expect(await api.db('member_changes').where({ team_id: teamId })).toEqual([]);

  // Answered once, the key replays that answer.
  const replay = await api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, body, key).expect(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');
});

test('a running request keeps its lease: the same request meanwhile is told to retry, with Retry-After', async () => {
  const owner = await api.createUser('owner2');
  const teamId = await api.createTeam(owner.id);
  const bob = await api.createUser('bob');
  const key = randomUUID();
  const body = { userId: bob.id, role: 'member' };
  const listing = await api.db.transaction();
  await listing('team_members').insert({ team_id: teamId, user_id: bob.id, role: 'member' });
  const first = api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, body, key).then((res) => res);
  await api.eventually(async () => ((await api.state(teamId)).members === 2 ? true : undefined));
  // Held for more than two leases: the running request renews its lease, so nobody takes the key over.
  await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 2_500));
  const meanwhile = await api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, body, key).expect(409);
  expect(Number(meanwhile.headers['retry-after'])).toBeGreaterThan(0);
  await listing.rollback();
  expect((await first).status).toBe(201);
  expect((await api.state(teamId)).members).toBe(2);
});
