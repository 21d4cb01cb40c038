// Section 11 on every route: each role set against every operation the API declares. Requests carry no body, so
// an allowed one stops at validation or at the workflow's refusal and changes nothing; a refused one is a 403.
import type { AnyOperation } from '../../src/api/operation';
import type { BillingAction } from '../../src/domain';
import { ApiHarness, type Caller } from '../support/api-harness';

// Section 11, written out as the spec has it (not derived from the code under test).
const RoleSets = ['owner', 'admin', 'billing manager', 'member', 'visitor', 'member + billing manager', 'no role'] as const;
type RoleSet = (typeof RoleSets)[number];
const billingSide: RoleSet[] = ['owner', 'admin', 'billing manager', 'member + billing manager'];
const SECTION_11: Record<BillingAction, RoleSet[]> = {
  view_billing: billingSide,
  change_plan: billingSide,
  manage_payment_methods: billingSide,
  request_invoice: billingSide,
  manage_billing_managers: billingSide,
  view_team: ['owner', 'admin', 'member', 'visitor', 'member + billing manager'],
  contribute_credits: ['owner', 'admin', 'billing manager', 'member', 'visitor', 'member + billing manager'],
};

let api: ApiHarness;
let teamId: string;
const callers = {} as Record<RoleSet | 'platform', Caller>;
let operations: AnyOperation[];

beforeAll(async () => {
  api = await ApiHarness.start();
  const owner = await api.createUser('owner');
  teamId = await api.createTeam(owner.id, { card: false });
  callers.owner = api.withToken(owner.token);
  callers.platform = api.platform();
  const member = async (role: string) => {
    const user = await api.createUser(role);
    await api.call(callers.owner, 'post', `/v1/teams/${teamId}/members`, { userId: user.id, role }).expect(201);
    return user;
  };
  // Billing managers join by invitation; the platform may add one directly, which is quicker here.
  const manager = async (userId: string) => api.call(api.platform(), 'post', `/v1/teams/${teamId}/billing-managers`, { userId }).expect(201);
  callers.admin = api.withToken((await member('admin')).token);
  callers.member = api.withToken((await member('member')).token);
  callers.visitor = api.withToken((await member('visitor')).token);
  const both = await member('member');
  await manager(both.id);
  callers['member + billing manager'] = api.actingFor(both.id); // the service token acting for a user counts as that user
  const bm = await api.createUser('bm');
  await manager(bm.id);
  callers['billing manager'] = api.withToken(bm.token);
  callers['no role'] = api.withToken((await api.createUser('stranger')).token);
  operations = api.app.locals.api.operations;
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(120_000);

const pathOf = (op: AnyOperation) => op.path.replace('{teamId}', teamId).replace(/\{\w+\}/g, 'not-a-real-id');

test('every team route answers each role as section 11 says', async () => {
  const table: string[] = [];
  const mismatches: string[] = [];
  for (const op of operations.filter((o) => o.access.kind === 'team')) {
    const actions = (op.access as { actions: readonly BillingAction[] }).actions;
    for (const roleSet of RoleSets) {
      const allowed = roleSet !== 'no role' && actions.every((action) => SECTION_11[action].includes(roleSet));
      const res = await api.call(callers[roleSet], op.method, pathOf(op));
      table.push(`${op.method.toUpperCase()} ${op.path} ${roleSet}: ${res.status}`);
      if ((res.status === 403) === allowed || res.status >= 500) mismatches.push(`${op.method} ${op.path} as ${roleSet}: ${res.status} ${res.body.detail ?? ''}`);
    }
    const platform = await api.call(callers.platform, op.method, pathOf(op));
    if (platform.status === 403 || platform.status >= 500) mismatches.push(`${op.method} ${op.path} as platform: ${platform.status}`);
  }
  expect(mismatches).toEqual([]);
  expect(table.length).toBeGreaterThanOrEqual(20 * RoleSets.length);
});

test('platform routes refuse users; every /v1 route refuses a request without a valid token', async () => {
  for (const op of operations) {
    const path = pathOf(op);
    if (op.access.kind === 'platform') {
      for (const caller of [callers.owner, api.actingFor((await api.createUser('x')).id)]) {
        expect((await api.call(caller, op.method, path)).status).toBe(403);
      }
    }
    for (const headers of [{}, { authorization: 'Bearer sbu_wrong' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await api.call({ headers }, op.method, path);
      expect([op.path, res.status, res.headers['content-type']]).toEqual([op.path, 401, expect.stringMatching(/problem\+json/)]);
    }
  }
});
