// Adding or removing a member writes the bill (the team workflow) and the list (team_members) with no transaction
// held across the workflow update: a failure after the update leaves the change to be completed by a retry of the
// same request, billed once and listed.
import { randomUUID } from 'node:crypto';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
  // The list refuses writes about a user the test names: a real failure of the database after the workflow update.
  await api.db.raw(`
    CREATE TABLE refused_listings (user_id text PRIMARY KEY);
    CREATE FUNCTION refuse_listing() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM refused_listings WHERE user_id = coalesce(NEW.user_id, OLD.user_id)) THEN
        RAISE EXCEPTION 'the member list is refused for %', coalesce(NEW.user_id, OLD.user_id);
      END IF;
      RETURN coalesce(NEW, OLD);
    END $$;
    CREATE TRIGGER refuse_listing BEFORE INSERT OR DELETE ON team_members FOR EACH ROW EXECUTE FUNCTION refuse_listing();
  `);
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('a failure after the workflow billed an added member: the retry lists them, billed once', async () => {
  const owner = await api.createUser('owner');
  const teamId = await api.createTeam(owner.id);
  const alice = await api.createUser('alice');
  const as = api.withToken(owner.token);
  const key = randomUUID();
  const body = { userId: alice.id, role: 'member' };

  await api.db('refused_listings').insert({ user_id: alice.id });
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, body, key).expect(500);
  expect((await api.state(teamId)).members).toBe(2);
  await api.db('refused_listings').where({ user_id: alice.id }).delete();

  const retry = await api.call(as, 'post', `/v1/teams/${teamId}/members`, body, key).expect(201);
  expect(retry.body.members).toBe(2);
  expect((await api.state(teamId)).members).toBe(2);
  const listed = await api.call(as, 'get', `/v1/teams/${teamId}/members`).expect(200);
  expect(listed.body.map((m: { userId: string }) => m.userId)).toContain(alice.id);

  // Another request for the same member now finds them listed.
  const again = await api.call(as, 'post', `/v1/teams/${teamId}/members`, body).expect(409);
  expect(again.body.code).toBe('already_member');
});

test('a failure after the workflow refunded a removed member: the retried DELETE unlists them, refunded once', async () => {
  const owner = await api.createUser('owner');
  const teamId = await api.createTeam(owner.id);
  const bob = await api.createUser('bob');
  const as = api.withToken(owner.token);
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: bob.id, role: 'member' }).expect(201);

  await api.db('refused_listings').insert({ user_id: bob.id });
  await api.call(as, 'delete', `/v1/teams/${teamId}/members/${bob.id}`).expect(500);
  expect((await api.state(teamId)).members).toBe(1);
  await api.db('refused_listings').where({ user_id: bob.id }).delete();

  const retry = await api.call(as, 'delete', `/v1/teams/${teamId}/members/${bob.id}`).expect(200);
  expect(retry.body.members).toBe(1);
  expect((await api.state(teamId)).members).toBe(1);
  await api.call(as, 'delete', `/v1/teams/${teamId}/members/${bob.id}`).expect(404);
});
