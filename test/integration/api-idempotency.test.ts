// Idempotency-Key on POST: same key and body, same response and one effect; same key, other body, 422.
import { randomUUID } from 'node:crypto';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;
let owner: { id: string; token: string };
let teamId: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  owner = await api.createUser('owner');
  teamId = await api.createTeam(owner.id);
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('the same key with the same body replays the first response and adds the member once', async () => {
  const as = api.withToken(owner.token);
  const alice = await api.createUser('alice');
  const key = randomUUID();
  const body = { userId: alice.id, role: 'member' };
  const first = await api.call(as, 'post', `/v1/teams/${teamId}/members`, body, key).expect(201);
  const second = await api.call(as, 'post', `/v1/teams/${teamId}/members`, { role: 'member', userId: alice.id }, key).expect(201);
  expect(second.body).toEqual(first.body);
  expect(second.headers['idempotent-replayed']).toBe('true');
  expect((await api.state(teamId)).members).toBe(2);

  const reused = await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: owner.id, role: 'visitor' }, key).expect(422);
  expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', errors: [{ field: 'header.idempotency-key' }] });
});

test('a refusal by the workflow is replayed too, without asking the workflow again', async () => {
  const as = api.withToken(owner.token);
  const key = randomUUID();
  const first = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/withdraw-pending-change`, undefined, key).expect(409);
  const history = (await api.temporal.workflow.getHandle(`team:${teamId}`).describe()).historyLength;
  const second = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/withdraw-pending-change`, undefined, key).expect(409);
  expect(second.body).toEqual(first.body);
  expect((await api.temporal.workflow.getHandle(`team:${teamId}`).describe()).historyLength).toBe(history);
});

test('keys are scoped by caller, required on every POST, and kept for 24 hours', async () => {
  const key = randomUUID();
  const users = await Promise.all([api.createUser('a'), api.createUser('b')]);
  for (const user of users) {
    await api.call(api.actingFor(user.id), 'post', '/v1/teams', { name: 'Same key', billingCountry: 'DE' }, key).expect(201);
  }
  expect(await api.db('team_members').whereIn('user_id', users.map((u) => u.id)).count({ n: '*' })).toEqual([{ n: 2 }]);

  const missing = await api.call(api.platform(), 'post', '/v1/organizations', { name: 'Org' }).unset('idempotency-key').expect(400);
  expect(missing.body.errors).toEqual([{ field: 'header.idempotency-key', message: expect.any(String) }]);

  const [stored] = await api.db('idempotency_keys').where({ key }).select(api.db.raw("extract(epoch from expires_at - created_at) / 3600 as hours"));
  expect(Number(stored.hours)).toBeCloseTo(24, 1);
});

test('a key past its 24 hours is a new key: the next request with it runs, whatever it asks', async () => {
  const key = randomUUID();
  const first = await api.call(api.platform(), 'post', '/v1/organizations', { name: 'Old' }, key).expect(201);
  await api.db('idempotency_keys').where({ key }).update({ expires_at: api.db.raw("now() - interval '1 minute'") });
  const second = await api.call(api.platform(), 'post', '/v1/organizations', { name: 'New' }, key).expect(201);
  expect(second.headers['idempotent-replayed']).toBeUndefined();
  expect(second.body.id).not.toBe(first.body.id);
  const replayed = await api.call(api.platform(), 'post', '/v1/organizations', { name: 'New' }, key).expect(201);
  expect([replayed.body.id, replayed.headers['idempotent-replayed']]).toEqual([second.body.id, 'true']);
});

test('a request that fails validation keeps no key: fixed, the same key then works', async () => {
  const key = randomUUID();
  await api.call(api.platform(), 'post', '/v1/organizations', { name: '' }, key).expect(400);
  await api.call(api.platform(), 'post', '/v1/organizations', { name: 'Fixed' }, key).expect(201);
});
