// A team dropping to Free tells the platform once: one `subscription.downgraded_to_free` (from the notice), plus
// one `team.restricted` (from the audit row of the same change) when it has more members than Free allows; both
// delivered, signed, to a subscribed endpoint.
import { cancelUpdate, startTrialUpdate } from '../../src/workflows';
import { webhookEndpoints } from '../../src/webhooks';
import { WorkflowHarness } from '../support/workflow-harness';
import { WebhookReceiver } from '../support/webhook-receiver';

let harness: WorkflowHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  harness = await WorkflowHarness.start();
  receiver = await WebhookReceiver.start();
  const endpoint = await webhookEndpoints(harness.db).create({ url: receiver.url('/saas'), eventTypes: ['subscription.downgraded_to_free', 'team.restricted'] });
  receiver.expectSecret('/saas', endpoint.secret);
}, 180_000);

afterAll(async () => {
  await harness?.teardown();
  await receiver?.close();
}, 60_000);

jest.setTimeout(120_000);

async function eventsOf(teamId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  return harness.db('webhook_events').where({ team_id: teamId }).orderBy('seq').select('type', 'data');
}

async function keysOf(teamId: string, type: string): Promise<string[]> {
  return (await harness.db('webhook_events').where({ team_id: teamId, type }).pluck('idempotency_key')) as string[];
}

async function deliveredTo(teamId: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const got = receiver.received.filter((r) => r.payload.teamId === teamId);
    if (got.length >= count) return got;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} webhooks for ${teamId}`);
}

/** A trial canceled at once: at trial end the team is on Free, with nothing charged. */
async function trialCanceled(members: number) {
  const team = await harness.startTeam({ start: '2026-05-06', members });
  await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.handle.executeUpdate(cancelUpdate, { args: [] });
  await team.advanceTo('2026-05-20');
  await team.advanceTo('2026-06-25'); // later days change nothing
  return team;
}

test('over the Free capacity: exactly one downgraded_to_free and one team.restricted', async () => {
  const team = await trialCanceled(6);
  expect((await team.state()).restricted).toBe(true);
  const events = await eventsOf(team.teamId);
  expect(events.filter((e) => e.type === 'subscription.downgraded_to_free')).toEqual([
    { type: 'subscription.downgraded_to_free', data: { on: '2026-05-20', reason: 'canceled', members: 6, restricted: true } },
  ]);
  expect(events.filter((e) => e.type === 'team.restricted')).toEqual([
    { type: 'team.restricted', data: { on: '2026-05-20', reason: 'over_free_capacity', members: 6, capacity: 4 } },
  ]);
  expect(await keysOf(team.teamId, 'team.restricted')).toEqual([expect.stringMatching(new RegExp(`^${team.teamId}:2026-05-20:trial_end:\\d+:team.restricted$`))]);
  const got = await deliveredTo(team.teamId, 2);
  expect(got.map((r) => [r.payload.type, r.signatureValid])).toEqual([['subscription.downgraded_to_free', true], ['team.restricted', true]]);
});

test('within the Free capacity: one downgraded_to_free and no team.restricted', async () => {
  const team = await trialCanceled(3);
  const types = (await eventsOf(team.teamId)).map((e) => e.type);
  expect(types.filter((type) => type === 'subscription.downgraded_to_free')).toHaveLength(1);
  expect(types).not.toContain('team.restricted');
});
