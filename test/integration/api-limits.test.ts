// Limits on /v1: requests per minute per API token (429 problem+json with Retry-After), and a deadline per request
// (503 problem+json; the request's outcome is kept for its Idempotency-Key).
import { randomUUID } from 'node:crypto';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start({ env: { RATE_LIMIT_PER_MINUTE: '3', REQUEST_TIMEOUT_SECONDS: '1' } });
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('a user token past its requests per minute gets 429 problem+json with Retry-After; other tokens go on', async () => {
  const [ann, ben] = [await api.createUser('ann'), await api.createUser('ben')];
  for (let i = 0; i < 3; i += 1) await api.call(api.withToken(ann.token), 'get', '/v1/users/me').expect(200);
  const limited = await api.call(api.withToken(ann.token), 'get', '/v1/users/me').expect(429);
  expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
  await api.call(api.withToken(ben.token), 'get', '/v1/users/me').expect(200);
  // The service token (the SaaS backend, for all its users) has no limit unless SERVICE_RATE_LIMIT_PER_MINUTE sets one.
  for (let i = 0; i < 5; i += 1) await api.call(api.actingFor(ann.id), 'get', '/v1/users/me').expect(200);
  // An unknown token is refused as unknown, not counted against anyone.
  await api.call(api.withToken('sbu_unknown'), 'get', '/v1/users/me').expect(401);
});

test('a request unanswered past REQUEST_TIMEOUT_SECONDS gets 503 problem+json; its retry gets the outcome', async () => {
  const owner = await api.createUser('owner');
  const teamId = await api.createTeam(owner.id);
  const alice = await api.createUser('alice');
  const as = api.actingFor(owner.id);
  const key = randomUUID();
  const body = { userId: alice.id, role: 'member' };
  // The member list is held by the test's open transaction: the request waits on it past its deadline.
  const listing = await api.db.transaction();
  await listing('team_members').insert({ team_id: teamId, user_id: alice.id, role: 'member' });
  const late = await api.call(as, 'post', `/v1/teams/${teamId}/members`, body, key).expect(503);
  expect(late.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(late.body).toMatchObject({ status: 503, code: 'request_timeout' });
  await listing.rollback();

  const outcome = await api.eventually(async () => {
    const retry = await api.call(as, 'post', `/v1/teams/${teamId}/members`, body, key);
    return retry.status === 201 ? retry : undefined;
  });
  expect(outcome.body).toEqual({ members: 2, restricted: false });
  expect((await api.state(teamId)).members).toBe(2);
});
