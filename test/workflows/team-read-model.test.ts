// The read model: after every change the team's workflow publishes its subscription to `subscription_views`
// (a local activity, before the change's update answers), and its audit rows are written the same way. The
// API reads that row instead of querying the workflow (src/api/subscription-views.ts).
import { addMembersUpdate, cancelUpdate, paymentFailedSignal, setPaymentMethodUpdate, subscribeUpdate, type TeamSubscriptionView } from '../../src/workflows';
import { createBillingActivities } from '../../src/activities';
import { withReadingTime } from '../../src/api/subscription-views';
import { WorkflowHarness, type TeamUnderTest } from '../support/workflow-harness';

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await WorkflowHarness.start();
}, 180_000);

afterAll(() => harness?.teardown(), 60_000);

jest.setTimeout(120_000);

interface ViewRow { version: number | string; view: TeamSubscriptionView; clock_offset_ms: string }

async function published(team: TeamUnderTest): Promise<ViewRow> {
  return (await harness.db('subscription_views').where({ team_id: team.teamId }).first()) as ViewRow;
}

/** The live state without what only the moment of reading (or the workflow) knows. */
async function liveView(team: TeamUnderTest): Promise<Omit<TeamSubscriptionView, 'today' | 'restricted' | 'busy'>> {
  const { today: _today, restricted: _restricted, busy: _busy, ...view } = await team.state();
  return view;
}

test('each update answers after its change is in the read model, which matches the live state; versions only grow', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  const versions: number[] = [];
  const check = async () => {
    const row = await published(team);
    expect(row.view).toEqual(await liveView(team));
    versions.push(Number(row.version));
  };

  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await check();
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 2 }] });
  await check();
  expect((await published(team)).view).toMatchObject({ plan: 'basic', status: 'active', members: 5, unbilledMemberChanges: [{ on: '2026-05-25', delta: 2 }] });
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_mastercard' }] });
  await check();
  await team.handle.executeUpdate(cancelUpdate, { args: [] });
  await check();
  expect((await published(team)).view.pendingChange).toEqual({ plan: 'free', interval: 'month', effectiveOn: '2026-06-20' });

  // A signal changes what the workflow knows without a request: it publishes too.
  await team.handle.signal(paymentFailedSignal, { paymentId: 'pay_webhook_1' });
  for (let tries = 0; !(await published(team)).view.lastPaymentFailure; tries++) {
    if (tries > 100) throw new Error('the payment failure never reached the read model');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await check();

  // The period ends in a new run (continue-as-new): it publishes with a higher version than the last run's.
  await team.advanceTo('2026-06-20');
  await check();
  expect((await published(team)).view).toMatchObject({ plan: 'free', status: 'free', period: null, pendingChange: null });
  // A request that changes nothing publishes nothing (the card on file was already a card): the version stays.
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(new Set(versions).size).toBe(versions.length - 1);

  // The API's reading adds the day and the restriction for the moment of reading, on the team's business calendar.
  const row = await published(team);
  const live = await team.state();
  expect(withReadingTime(row.view, Date.parse(`${live.today}T12:00:00Z`))).toEqual({ ...live, busy: false });

  // Audit rows are local activities now: markers in the history, no activity task for them.
  const runs = await team.runs();
  const scheduled = runs.flatMap((run) => run.history.events ?? []).map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(scheduled).not.toContain('recordAudit');
  expect(scheduled).not.toContain('publishSubscriptionView');
  expect(await harness.db('audit_events').where({ team_id: team.teamId }).count({ n: '*' })).toEqual([{ n: 4 }]);
  await team.recordHistory('read-model-and-local-audit', 1);
});

test('the read model keeps the highest version: a retried or late older publication changes nothing', async () => {
  const { publishSubscriptionView } = createBillingActivities({ db: harness.db, payments: { sandbox: harness.sandbox } });
  const view = (plan: 'basic' | 'pro') => ({ teamId: 'rm-team', plan, members: 1 }) as unknown as Parameters<typeof publishSubscriptionView>[0]['view'];
  const at = '2026-05-20T12:00:00.000Z';
  expect(await publishSubscriptionView({ teamId: 'rm-team', version: 10, clockOffsetMs: 0, view: view('basic'), at })).toEqual({ stored: true });
  expect(await publishSubscriptionView({ teamId: 'rm-team', version: 12, clockOffsetMs: 0, view: view('pro'), at })).toEqual({ stored: true });
  expect(await publishSubscriptionView({ teamId: 'rm-team', version: 11, clockOffsetMs: 0, view: view('basic'), at })).toEqual({ stored: false });
  expect(await publishSubscriptionView({ teamId: 'rm-team', version: 12, clockOffsetMs: 0, view: view('pro'), at })).toEqual({ stored: false });
  const row = (await harness.db('subscription_views').where({ team_id: 'rm-team' }).first()) as ViewRow;
  expect([Number(row.version), row.view.plan]).toEqual([12, 'pro']);
});
