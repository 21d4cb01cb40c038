// A user lists their API tokens and revokes one; a revoked token is refused at its very next request.
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('a user lists their tokens and revokes one: the revoked token gets 401 at once, the others still work', async () => {
  const ann = await api.createUser('ann');
  const laptop = await api.call(api.withToken(ann.token), 'post', `/v1/users/${ann.id}/tokens`, { label: 'laptop' }).expect(201);
  await api.call(api.withToken(laptop.body.token), 'get', '/v1/users/me').expect(200);

  const listed = await api.call(api.withToken(ann.token), 'get', `/v1/users/${ann.id}/tokens`).expect(200);
  expect(listed.body).toEqual(expect.arrayContaining([
    { id: laptop.body.id, label: 'laptop', createdAt: expect.any(String), revokedAt: null },
    expect.objectContaining({ label: 'tests', revokedAt: null }),
  ]));
  expect(JSON.stringify(listed.body)).not.toContain(laptop.body.token);

  const revoked = await api.call(api.withToken(ann.token), 'delete', `/v1/users/${ann.id}/tokens/${laptop.body.id}`).expect(200);
  expect(revoked.body).toMatchObject({ id: laptop.body.id, revokedAt: expect.any(String) });
  const refused = await api.call(api.withToken(laptop.body.token), 'get', '/v1/users/me').expect(401);
  expect(refused.body.errors).toEqual([{ field: 'header.authorization', message: expect.stringMatching(/revoked/) }]);
  await api.call(api.withToken(ann.token), 'get', '/v1/users/me').expect(200);
});

test("nobody else lists or revokes a user's tokens; the platform may; an unknown token is a 404", async () => {
  const ann = await api.createUser('ann');
  const ben = await api.createUser('ben');
  const [annToken] = (await api.call(api.platform(), 'get', `/v1/users/${ann.id}/tokens`).expect(200)).body as { id: string }[];
  await api.call(api.withToken(ben.token), 'get', `/v1/users/${ann.id}/tokens`).expect(403);
  await api.call(api.withToken(ben.token), 'delete', `/v1/users/${ann.id}/tokens/${annToken!.id}`).expect(403);
  await api.call(api.actingFor(ben.id), 'delete', `/v1/users/${ann.id}/tokens/${annToken!.id}`).expect(403);
  const unknown = await api.call(api.withToken(ann.token), 'delete', `/v1/users/${ann.id}/tokens/tok_nothing`).expect(404);
  expect(unknown.body.errors).toEqual([{ field: 'path.tokenId', message: expect.any(String) }]);
  await api.call(api.withToken(ann.token), 'get', '/v1/users/me').expect(200);
  await api.call(api.platform(), 'delete', `/v1/users/${ann.id}/tokens/${annToken!.id}`).expect(200);
  await api.call(api.withToken(ann.token), 'get', '/v1/users/me').expect(401);
});
