// The events read from the audit trail, through the API on real servers: a trial started, a deferred change
// scheduled, a Free team over its capacity (team.restricted) and back within it (team.unrestricted). Each is
// recorded once, with its data, even when the audit activity is retried, and delivered signed.
import { auditActivities, type RecordAuditInput } from '../../src/activities/audit';
import type { PaymentProvider } from '../../src/payments';
import { ApiHarness } from '../support/api-harness';
import { WebhookReceiver } from '../support/webhook-receiver';

const TYPES = ['subscription.trial_started', 'subscription.change_scheduled', 'team.restricted', 'team.unrestricted'];

let api: ApiHarness;
let receiver: WebhookReceiver;
let owner: { id: string; token: string };

beforeAll(async () => {
  api = await ApiHarness.start();
  receiver = await WebhookReceiver.start();
  const endpoint = await api.call(api.platform(), 'post', '/v1/webhook-endpoints', { url: receiver.url('/events'), eventTypes: TYPES }).expect(201);
  receiver.expectSecret('/events', endpoint.body.secret as string);
  owner = await api.createUser('owner');
}, 120_000);

afterAll(async () => {
  await api?.teardown();
  await receiver?.close();
}, 60_000);

jest.setTimeout(60_000);

async function eventsOf(teamId: string): Promise<{ type: string; key: string; data: Record<string, unknown> }[]> {
  const rows = (await api.db('webhook_events').where({ team_id: teamId }).whereIn('type', TYPES).orderBy('seq').select('type', 'idempotency_key', 'data')) as {
    type: string; idempotency_key: string; data: Record<string, unknown>;
  }[];
  return rows.map((row) => ({ type: row.type, key: row.idempotency_key, data: row.data }));
}

async function deliveredTo(teamId: string, count: number) {
  return api.eventually(async () => {
    const got = receiver.received.filter((r) => r.payload.teamId === teamId);
    return got.length >= count ? got : undefined;
  });
}

test('a Free team over its capacity is restricted once, and unrestricted once back within it', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id); // the owner is its 1st member; Free allows 4
  const users = await Promise.all([1, 2, 3, 4].map((n) => api.createUser(`member-${n}`)));
  for (const user of users.slice(0, 3)) await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: user.id, role: 'member' }).expect(201);
  await api.recordsWritten(teamId); // the audit rows, and the events they queue, follow each answer by a second
  expect(await eventsOf(teamId)).toEqual([]); // 4 members: within the capacity

  const over = await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: users[3]!.id, role: 'visitor' }).expect(201);
  expect(over.body).toMatchObject({ members: 5, restricted: true });
  const within = await api.call(as, 'delete', `/v1/teams/${teamId}/members/${users[0]!.id}`).expect(200);
  expect(within.body).toMatchObject({ members: 4, restricted: false });
  await api.recordsWritten(teamId);

  const { today } = await api.state(teamId);
  expect(await eventsOf(teamId)).toEqual([
    { type: 'team.restricted', key: expect.stringMatching(new RegExp(`^${teamId}:${today}:add_members:\\d+:team.restricted$`)), data: { on: today, reason: 'over_free_capacity', members: 5, capacity: 4 } },
    { type: 'team.unrestricted', key: expect.stringMatching(new RegExp(`^${teamId}:${today}:remove_members:\\d+:team.unrestricted$`)), data: { on: today, reason: 'within_free_capacity', members: 4, capacity: 4 } },
  ]);
  const got = await deliveredTo(teamId, 2);
  expect(got.map((r) => [r.payload.type, r.signatureValid])).toEqual([['team.restricted', true], ['team.unrestricted', true]]);
});

test('a trial started and a deferred downgrade, each told once; a change replacing it is told again, a withdrawal is not', async () => {
  const as = api.withToken(owner.token);
  const trialTeam = await api.createTeam(owner.id);
  const trial = await api.call(as, 'post', `/v1/teams/${trialTeam}/subscription/trial`, { plan: 'basic', interval: 'month' }).expect(200);
  const { today } = await api.state(trialTeam);
  await api.recordsWritten(trialTeam);
  expect((await eventsOf(trialTeam)).map(({ type, data }) => ({ type, data }))).toEqual([
    { type: 'subscription.trial_started', data: { plan: 'basic', interval: 'month', trialStart: today, trialEnd: trial.body.trialEnd } },
  ]);

  const teamId = await api.createTeam(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'professional', interval: 'month' }).expect(200);
  const periodEnd = (await api.state(teamId)).period!.end;
  const downgrade = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'basic' }).expect(200);
  expect(downgrade.body).toMatchObject({ timing: 'deferred', pendingChange: { plan: 'basic', interval: 'month', effectiveOn: periodEnd } });
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'basic' }).expect(200); // the same change again: nothing new to tell
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription/cancel`).expect(200); // replaces the downgrade
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription/withdraw-pending-change`).expect(200);
  await api.recordsWritten(teamId);

  expect((await eventsOf(teamId)).map(({ type, data }) => ({ type, data }))).toEqual([
    { type: 'subscription.change_scheduled', data: { plan: 'basic', interval: 'month', effectiveOn: periodEnd } },
    { type: 'subscription.change_scheduled', data: { plan: 'free', interval: 'month', effectiveOn: periodEnd } },
  ]);
  const got = await deliveredTo(teamId, 2);
  expect(got.every((r) => r.signatureValid)).toBe(true);
});

test('a retried audit activity records its row and its events once', async () => {
  const { recordAudit } = auditActivities({ db: api.db, payments: {} as PaymentProvider });
  const teamId = await api.createTeam(owner.id);
  const facts = { plan: 'free', interval: 'month', status: 'free', members: 5, period: null, trial: null, pendingChange: null, seatOrder: null, orderedSeats: null };
  const input: RecordAuditInput = {
    key: `${teamId}:2026-03-02:add_members:1`, teamId, kind: 'subscription_changed', workflowId: 'wf', runId: 'run', at: '2026-03-02T10:00:00Z',
    payload: { cause: 'add_members', before: { ...facts, members: 4 }, after: facts },
  };
  const first = await recordAudit(input);
  const again = await recordAudit(input);
  expect(again).toEqual(first);
  expect(await api.db('audit_events').where({ team_id: teamId }).pluck('id')).toEqual([first.auditEventId]);
  expect(await eventsOf(teamId)).toEqual([
    { type: 'team.restricted', key: `${teamId}:2026-03-02:add_members:1:team.restricted`, data: { on: '2026-03-02', reason: 'over_free_capacity', members: 5, capacity: 4 } },
  ]);
});
