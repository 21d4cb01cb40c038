// GET /v1/teams/{teamId}/entitlements: from the catalog and the team's published subscription (the read model), with
// what a pending change will do and when.
import { ApiHarness } from '../support/api-harness';

let harness: ApiHarness;

beforeAll(async () => {
  harness = await ApiHarness.start();
}, 120_000);

afterAll(() => harness?.teardown(), 60_000);

jest.setTimeout(60_000);

test('Free, then a trial, then a cancellation that will restrict the team at trial end', async () => {
  const owner = await harness.createUser('owner');
  const teamId = await harness.createTeam(owner.id);
  const path = `/v1/teams/${teamId}/entitlements`;
  const free = await harness.call(harness.platform(), 'get', path).expect(200);
  expect(free.body).toMatchObject({
    teamId, plan: 'free', planName: 'Free', tier: 0, interval: null, status: 'free', capacity: { kind: 'free', maxMembers: 4 }, restricted: false, pendingChange: null,
  });

  await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription/trial`, { plan: 'professional', interval: 'month' }).expect(200);
  for (let i = 0; i < 5; i++) await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/members`, { userId: (await harness.createUser(`m${i}`)).id, role: 'member' });
  await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription/cancel`).expect(200);
  const state = await harness.state(teamId);

  // The cancellation's update answered after the workflow published it: the very next read shows it.
  const trialing = (await harness.call(harness.actingFor(owner.id), 'get', path).expect(200)).body;
  expect(trialing).toMatchObject({
    plan: 'professional', tier: 2, interval: 'month', status: 'trialing', members: state.members, capacity: { kind: 'members', maxMembers: null },
    restricted: false, trialEndsOn: state.trial!.end,
    pendingChange: { effectiveOn: state.trial!.end, plan: 'free', interval: null, tier: 0, capacity: { kind: 'free', maxMembers: 4 }, restrictedAfter: state.members > 4 },
  });
});

test('a member without billing rights may not read them; an unknown team is a 404', async () => {
  const owner = await harness.createUser('owner');
  const teamId = await harness.createTeam(owner.id);
  const member = await harness.createUser('member');
  await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);
  await harness.call(harness.actingFor(member.id), 'get', `/v1/teams/${teamId}/entitlements`).expect(403);
  await harness.call(harness.platform(), 'get', '/v1/teams/no-such-team/entitlements').expect(404);
});
