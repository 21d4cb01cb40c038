import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { authenticate } from '../../src/api/middleware/auth';
import { problemHandler } from '../../src/api/problem';
import { billingManagerRoutes } from '../../src/api/routes/billing-managers';
import { invitationRoutes } from '../../src/api/routes/invitations';
import { billingManagerInvitations } from '../../src/invitations';
import { ApiHarness, type Caller } from '../support/api-harness';

// The invitation and organization billing-manager routes on real servers, mounted in front of the API the way
// app.ts will mount them, so the member and billing-manager routes of the rest of the API answer too.
let api: ApiHarness;
let app: express.Express;
let teamId: string;
const organizationId = `org-${randomUUID().slice(0, 8)}`;
const names = ['owner', 'admin', 'member', 'visitor', 'teamManager', 'memberAndManager', 'orgManager', 'stranger'] as const;
const people = {} as Record<(typeof names)[number], { id: string; caller: Caller; email: string }>;

beforeAll(async () => {
  api = await ApiHarness.start();
  const ctx = api.app.locals.api;
  app = express();
  app.use(express.json());
  app.use('/v1', authenticate(ctx));
  app.use(invitationRoutes(ctx, billingManagerInvitations({ db: ctx.db, temporal: ctx.temporal, taskQueue: ctx.config.TASK_QUEUE, directory: ctx.directory })));
  app.use(billingManagerRoutes(ctx));
  app.use(api.app);
  app.use(problemHandler((error) => console.error(error)));

  for (const name of names) {
    const user = await api.createUser(name);
    const { email } = await api.db('users').where({ id: user.id }).first('email');
    people[name] = { id: user.id, caller: api.withToken(user.token), email };
  }
  await call(api.platform(), 'post', '/v1/organizations', { id: organizationId, name: 'Acme' }).expect(201);
  teamId = (await call(api.actingFor(people.owner.id), 'post', '/v1/teams', { name: 'Acme', billingCountry: 'US', organizationId }).expect(201)).body.id;
  for (const role of ['admin', 'member', 'visitor'] as const) {
    await call(people.owner.caller, 'post', `/v1/teams/${teamId}/members`, { userId: people[role].id, role }).expect(201);
  }
  await call(people.owner.caller, 'post', `/v1/teams/${teamId}/members`, { userId: people.memberAndManager.id, role: 'member' }).expect(201);
  for (const name of ['teamManager', 'memberAndManager'] as const) await becomeManager(people.owner.caller, `/v1/teams/${teamId}`, name);
  await becomeManager(api.platform(), `/v1/organizations/${organizationId}`, 'orgManager');
}, 180_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(120_000);

function call(caller: Caller, method: 'get' | 'post' | 'delete', path: string, body?: unknown): request.Test {
  let test = request(app)[method](path).set(caller.headers);
  if (method === 'post') test = test.set('idempotency-key', randomUUID());
  return body === undefined ? test : test.send(body as object);
}

async function invite(caller: Caller, scopePath: string, emails: string[]): Promise<string[]> {
  const res = await call(caller, 'post', `${scopePath}/billing-manager-invitations`, { emails }).expect(201);
  return (res.body as { invitationId: string }[]).map((invitation) => invitation.invitationId);
}

async function becomeManager(inviter: Caller, scopePath: string, name: keyof typeof people): Promise<void> {
  const [invitationId] = await invite(inviter, scopePath, [people[name].email]);
  await call(people[name].caller, 'post', `/v1/billing-manager-invitations/${invitationId}/accept`).expect(200);
}

describe('every role on every invitation and billing-manager route', () => {
  type Route = { method: 'get' | 'post' | 'delete'; path: string; body?: unknown };
  const invitee = { emails: ['matrix@example.com'] };
  const teamRoutes = (): Route[] => [
    { method: 'post', path: `/v1/teams/${teamId}/billing-manager-invitations`, body: invitee },
    { method: 'get', path: `/v1/teams/${teamId}/billing-manager-invitations` },
    { method: 'delete', path: `/v1/teams/${teamId}/billing-manager-invitations/inv_unknown` },
  ];
  const organizationRoutes = (): Route[] => [
    { method: 'post', path: `/v1/organizations/${organizationId}/billing-manager-invitations`, body: invitee },
    { method: 'get', path: `/v1/organizations/${organizationId}/billing-manager-invitations` },
    { method: 'delete', path: `/v1/organizations/${organizationId}/billing-manager-invitations/inv_unknown` },
    { method: 'get', path: `/v1/organizations/${organizationId}/billing-managers` },
    { method: 'delete', path: `/v1/organizations/${organizationId}/billing-managers/usr_unknown` },
  ];
  // Section 11: owners, admins and billing managers list, invite and remove billing managers; members and visitors
  // do not. On an organization: its billing managers, and the owners and admins of its teams. (The organization's
  // billing managers on team routes wait for the team authorization to read organization roles: null, not checked.)
  const allowed: Record<(typeof names)[number], { team: boolean | null; organization: boolean }> = {
    owner: { team: true, organization: true },
    admin: { team: true, organization: true },
    teamManager: { team: true, organization: false },
    memberAndManager: { team: true, organization: false },
    member: { team: false, organization: false },
    visitor: { team: false, organization: false },
    orgManager: { team: null, organization: true },
    stranger: { team: false, organization: false },
  };

  test.each(names)('%s', async (name) => {
    const { team, organization } = allowed[name];
    const cells = [
      ...(team === null ? [] : teamRoutes().map((route) => ({ route, ok: team }))),
      ...organizationRoutes().map((route) => ({ route, ok: organization })),
    ];
    const answers: string[] = [];
    for (const { route } of cells) {
      const res = await call(people[name].caller, route.method, route.path, route.body);
      answers.push(`${route.method} ${route.path}: ${res.status === 403 ? 'refused' : res.status < 500 ? 'allowed' : res.status}`);
    }
    expect(answers).toEqual(cells.map(({ route, ok }) => `${route.method} ${route.path}: ${ok ? 'allowed' : 'refused'}`));
  });
});

test('one request invites several emails; the invited account accepts; a billing manager sees the bill, not the members', async () => {
  const ann = await api.createUser('ann');
  const { email } = await api.db('users').where({ id: ann.id }).first('email');
  const ids = await invite(people.admin.caller, `/v1/teams/${teamId}`, [email, 'someone-else@example.com']);
  expect(ids).toHaveLength(2);
  const pending = await call(people.owner.caller, 'get', `/v1/teams/${teamId}/billing-manager-invitations`).expect(200);
  expect(pending.body.map((invitation: { invitationId: string }) => invitation.invitationId)).toEqual(expect.arrayContaining(ids));

  const accepted = await call(api.withToken(ann.token), 'post', `/v1/billing-manager-invitations/${ids[0]}/accept`).expect(200);
  expect(accepted.body).toMatchObject({ status: 'accepted', decidedBy: ann.id, scope: { teamId } });

  const members = await call(people.owner.caller, 'get', `/v1/teams/${teamId}/members`).expect(200);
  expect(members.body.map((member: { userId: string }) => member.userId)).not.toContain(ann.id);
  await call(api.withToken(ann.token), 'get', `/v1/teams/${teamId}/members`).expect(403);
  const managers = await call(api.withToken(ann.token), 'get', `/v1/teams/${teamId}/billing-managers`).expect(200);
  expect(managers.body.map((manager: { userId: string }) => manager.userId)).toContain(ann.id);
  // Both rule sets for a member who is also a billing manager.
  await call(people.memberAndManager.caller, 'get', `/v1/teams/${teamId}/members`).expect(200);
  await call(people.memberAndManager.caller, 'get', `/v1/teams/${teamId}/billing-managers`).expect(200);
});

test('another account gets "invalid invitation", the same answer as an unknown invitation, and nothing changes', async () => {
  const [invitationId] = await invite(people.owner.caller, `/v1/teams/${teamId}`, ['not-bob@example.com']);
  const wrong = await call(people.stranger.caller, 'post', `/v1/billing-manager-invitations/${invitationId}/accept`).expect(404);
  const unknown = await call(people.stranger.caller, 'post', '/v1/billing-manager-invitations/inv_unknown/accept').expect(404);
  expect(wrong.body).toMatchObject({ code: 'invalid_invitation', detail: 'invalid invitation' });
  expect(unknown.body).toEqual(wrong.body);
  expect(await api.db('billing_manager_invitations').where({ id: invitationId }).first('status')).toEqual({ status: 'pending' });
  expect(await api.db('team_billing_managers').where({ team_id: teamId, user_id: people.stranger.id })).toEqual([]);
});

test('a revoked invitation cannot be accepted', async () => {
  const carl = await api.createUser('carl');
  const { email } = await api.db('users').where({ id: carl.id }).first('email');
  const [invitationId] = await invite(people.owner.caller, `/v1/teams/${teamId}`, [email]);
  const revoked = await call(people.teamManager.caller, 'delete', `/v1/teams/${teamId}/billing-manager-invitations/${invitationId}`).expect(200);
  expect(revoked.body).toMatchObject({ status: 'revoked', decidedBy: people.teamManager.id });

  const refused = await call(api.withToken(carl.token), 'post', `/v1/billing-manager-invitations/${invitationId}/accept`).expect(404);
  expect(refused.body.code).toBe('invalid_invitation');
  expect(await api.db('team_billing_managers').where({ team_id: teamId, user_id: carl.id })).toEqual([]);
});

test('the invitee reads the invitation and declines it (closed: revoked by the invitee); anyone else gets "invalid invitation"', async () => {
  const erin = await api.createUser('erin');
  const asErin = api.withToken(erin.token);
  const { email } = await api.db('users').where({ id: erin.id }).first('email');
  const [invitationId] = await invite(people.owner.caller, `/v1/teams/${teamId}`, [email]);
  const [second] = await invite(people.owner.caller, `/v1/teams/${teamId}`, [email]);

  const shown = await call(asErin, 'get', `/v1/billing-manager-invitations/${invitationId}`).expect(200);
  expect(shown.body).toMatchObject({ invitationId, scope: { teamId }, email, status: 'pending', scopeName: 'Acme', invitedByName: 'owner', invitedBy: people.owner.id });
  for (const [method, path] of [['get', ''], ['post', '/decline']] as const) {
    const refused = await call(people.stranger.caller, method, `/v1/billing-manager-invitations/${invitationId}${path}`).expect(404);
    expect(refused.body).toMatchObject({ code: 'invalid_invitation', detail: 'invalid invitation' });
  }

  const declined = await call(asErin, 'post', `/v1/billing-manager-invitations/${invitationId}/decline`).expect(200);
  expect(declined.body).toMatchObject({ invitationId, status: 'revoked', decidedBy: erin.id });
  await call(asErin, 'post', `/v1/billing-manager-invitations/${invitationId}/decline`).expect(200); // declining twice is one decline
  expect((await call(asErin, 'post', `/v1/billing-manager-invitations/${invitationId}/accept`).expect(404)).body.code).toBe('invalid_invitation');
  expect((await call(asErin, 'get', `/v1/billing-manager-invitations/${invitationId}`).expect(200)).body.status).toBe('revoked');
  expect(await api.db('team_billing_managers').where({ team_id: teamId, user_id: erin.id })).toEqual([]);

  // Accepted, an invitation can no longer be declined.
  await call(asErin, 'post', `/v1/billing-manager-invitations/${second}/accept`).expect(200);
  expect((await call(asErin, 'post', `/v1/billing-manager-invitations/${second}/decline`).expect(409)).body.code).toBe('invitation_closed');
});

test('a portal session made for an invitation opens its page; teamId or invitationId, not both', async () => {
  const [invitationId] = await invite(people.owner.caller, `/v1/teams/${teamId}`, ['fay@example.com']);
  const as = api.actingFor(people.stranger.id);
  const made = await call(as, 'post', '/v1/portal-sessions', { invitationId }).expect(201);
  expect(made.body.url).toMatch(new RegExp(`/portal/s/[\\w-]+\\?invitation=${invitationId}$`));
  const both = await call(as, 'post', '/v1/portal-sessions', { teamId, invitationId }).expect(400);
  expect(both.body.errors).toEqual([expect.objectContaining({ field: 'body.teamId' })]);
  const unknown = await call(as, 'post', '/v1/portal-sessions', { invitationId: 'inv_unknown' }).expect(404);
  expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'body.invitationId' })]);
});

test("removing an organization's billing manager takes effect at once, on the very next request", async () => {
  const dora = await api.createUser('dora');
  const { email } = await api.db('users').where({ id: dora.id }).first('email');
  const [invitationId] = await invite(people.orgManager.caller, `/v1/organizations/${organizationId}`, [email]);
  await call(api.withToken(dora.token), 'post', `/v1/billing-manager-invitations/${invitationId}/accept`).expect(200);
  await call(api.withToken(dora.token), 'get', `/v1/organizations/${organizationId}/billing-managers`).expect(200);

  await call(people.orgManager.caller, 'delete', `/v1/organizations/${organizationId}/billing-managers/${dora.id}`).expect(200);
  await call(api.withToken(dora.token), 'get', `/v1/organizations/${organizationId}/billing-managers`).expect(403);
});
