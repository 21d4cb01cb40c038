// The read model: after every change the team's workflow publishes its subscription to `subscription_views`, with the
// change's audit rows, in one local activity: before a request answers, or for a request in a burst a second after
// its answer, by the records timer the answer started (records-after-answer, records-in-bursts), its answer carrying
// the same view for the API to publish first. The API reads that
// row instead of querying the workflow (src/api/subscription-views.ts).
import {
  addMembersUpdate, cancelUpdate, paymentFailedSignal, setPaymentMethodUpdate, subscribeUpdate, type AnswerPublication, type PublishedSubscriptionView, type TeamSubscriptionView,
} from '../../src/workflows';
import { createBillingActivities } from '../../src/activities';
import { withReadingTime } from '../../src/api/subscription-views';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

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

test('each change reaches the read model, which matches the live state and the view its answer carried; versions only grow', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  const versions: number[] = [];
  const check = async (answer?: AnswerPublication) => {
    await team.recordsWritten();
    const row = await published(team);
    expect(row.view).toEqual(await liveView(team));
    if (answer?.published) expect(answer.published).toMatchObject({ version: Number(row.version), view: row.view }); // in a burst
    versions.push(Number(row.version));
  };

  await check(await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] }));
  await team.advanceTo('2026-05-25');
  await check(await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 2 }] }));
  expect((await published(team)).view).toMatchObject({ plan: 'basic', status: 'active', members: 5, unbilledMemberChanges: [{ on: '2026-05-25', delta: 2 }] });
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_mastercard' }] });
  await check(); // not a request: written before its answer, as before
  await check(await team.handle.executeUpdate(cancelUpdate, { args: [] }));
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

  // Audit rows and the view go out together in one local activity per change: markers in the history, no activity task.
  const events = (await team.runs()).flatMap((run) => run.history.events ?? []);
  const scheduled = events.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(scheduled).not.toContain('recordAudit');
  expect(scheduled).not.toContain('recordSubscriptionChange');
  expect(events.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThanOrEqual(5);
  expect(await harness.db('audit_events').where({ team_id: team.teamId }).count({ n: '*' })).toEqual([{ n: 4 }]);
  await team.recordHistory('change-records-read-model-own-patch', 1); // under change-records (issue 20)
});

test('the read model keeps the highest version: a retried or late older publication changes nothing', async () => {
  const { recordSubscriptionChange } = createBillingActivities({ db: harness.db, payments: { sandbox: harness.sandbox } });
  const view = (plan: 'basic' | 'professional') => ({ teamId: 'rm-team', plan, members: 1 }) as unknown as PublishedSubscriptionView;
  const publish = (version: number, plan: 'basic' | 'professional') =>
    recordSubscriptionChange({ teamId: 'rm-team', audits: [], published: { version, clockOffsetMs: 0, view: view(plan) }, at: '2026-05-20T12:00:00.000Z' });
  expect(await publish(10, 'basic')).toEqual({ audited: 0, published: true });
  expect(await publish(12, 'professional')).toEqual({ audited: 0, published: true });
  expect(await publish(11, 'basic')).toEqual({ audited: 0, published: false });
  expect(await publish(12, 'professional')).toEqual({ audited: 0, published: false });
  const row = (await harness.db('subscription_views').where({ team_id: 'rm-team' }).first()) as ViewRow;
  expect([Number(row.version), row.view.plan]).toEqual([12, 'professional']);
});

test('a retried change writes its audit rows once', async () => {
  const { recordSubscriptionChange } = createBillingActivities({ db: harness.db, payments: { sandbox: harness.sandbox } });
  const audit = { key: 'rm-team-2:2026-05-20:add_members:1', teamId: 'rm-team-2', kind: 'note', payload: { members: 2 }, workflowId: 'team:rm-team-2', runId: 'run-1' };
  const change = { teamId: 'rm-team-2', audits: [audit], published: null, at: '2026-05-20T12:00:00.000Z' };
  await recordSubscriptionChange(change);
  await recordSubscriptionChange({ ...change, audits: [{ ...audit, runId: 'run-2' }] }); // a retry after a worker crash
  expect(await harness.db('audit_events').where({ team_id: 'rm-team-2' }).count({ n: '*' })).toEqual([{ n: 1 }]);
});
