// A request answers as soon as its change is made (issue 24, patch records-after-answer): its answer carries the view
// it published, for the caller to write to the read model (the API does, before it answers), and the change's records
// (audit rows, view) are written by the run's records timer a second later, with every request answered meanwhile.
// The timer is started by the workflow task that completes the update, so the records are as durable as the answer.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { addMembersUpdate, cancelUpdate, subscribeUpdate, type AnswerPublication } from '../../src/workflows';
import { RECORDS_TIMER_SUMMARY } from '../../src/workflows/team/change-records';
import { patchMarkersOf } from '../support/history-manifest';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const summaryOf = (event: HistoryEvent) => event.userMetadata?.summary && defaultPayloadConverter.fromPayload<string>(event.userMetadata.summary);

/** What each completed workflow task of a run commanded, by the events its completion wrote. */
function tasks(events: HistoryEvent[]): string[][] {
  const out: string[][] = [];
  let current: string[] | null = null;
  for (const event of events) {
    if (event.workflowTaskCompletedEventAttributes) out.push((current = []));
    else if (event.workflowTaskScheduledEventAttributes || event.timerFiredEventAttributes) current = null;
    else if (current) {
      if (event.workflowExecutionUpdateCompletedEventAttributes) current.push('update completed');
      else if (event.timerStartedEventAttributes) current.push(summaryOf(event) === RECORDS_TIMER_SUMMARY ? 'records timer' : 'timer');
      else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') current.push('local activity');
      else if (event.workflowExecutionContinuedAsNewEventAttributes) current.push('continued as new');
    }
  }
  return out.filter((task) => task.length > 0);
}

const auditCauses = async (teamId: string) =>
  ((await harness.db('audit_events').where({ team_id: teamId }).orderBy('id').select('payload')) as { payload: { cause: string; after: { members: number } } }[])
    .map(({ payload }) => `${payload.cause} ${payload.after.members}`);

const viewRow = async (teamId: string) =>
  (await harness.db('subscription_views').where({ team_id: teamId }).first('version', 'view')) as { version: number; view: { members: number; pendingChange: unknown } } | undefined;

test('member changes answer before their records: each answer carries its view, one records timer writes the three changes', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.settled('2026-05-20');

  const answers: AnswerPublication[] = [];
  for (let i = 0; i < 3; i++) answers.push(await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }));
  expect(answers.map((answer) => answer.published?.view.members)).toEqual([11, 12, 13]);
  const versions = answers.map((answer) => BigInt(answer.published!.version));
  expect(versions[0]! < versions[1]! && versions[1]! < versions[2]!).toBe(true);
  expect(answers[2]!.published).toMatchObject({ clockOffsetMs: expect.any(Number), at: expect.stringMatching(/^2026-05-20T/) });

  await team.recordsWritten();
  const [, run] = await team.runs();
  const runTasks = tasks(run!.history.events ?? []);
  // No task that completed an update ran a local activity: the answers waited for nothing. The first update's task
  // started the records timer with its answer (one completion: the timer is as durable as the answer).
  const answering = runTasks.filter((task) => task.includes('update completed'));
  expect(answering.length).toBe(3);
  expect(answering.every((task) => !task.includes('local activity'))).toBe(true);
  expect([...answering[0]!].sort()).toEqual(['records timer', 'update completed']);
  // The timer's task wrote the records (here one task for all three, unless the three answers took over a second).
  const writing = runTasks.filter((task) => task.includes('local activity'));
  expect(writing.length).toBeGreaterThanOrEqual(1);
  expect(writing.every((task) => task.every((command) => command === 'local activity' || command === 'records timer'))).toBe(true);
  expect(await auditCauses(team.teamId)).toEqual(['subscribe 10', 'add_members 11', 'add_members 12', 'add_members 13']);
  expect(await viewRow(team.teamId)).toMatchObject({ version: Number(versions[2]), view: { members: 13 } });
  expect(patchMarkersOf(run!.history)).toEqual([]); // carried from the first run, which decided it
  expect(patchMarkersOf((await team.runs())[0]!.history)).toContain('records-after-answer');
  await team.recordHistory('member-changes-records-after-answer', 1);
});

test('a request answered just before the run continues as new has its records written by that run', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  const subscribed = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(subscribed).toMatchObject({ status: 'paid', published: { view: { plan: 'basic', members: 3 } } });
  await team.settled('2026-05-20');

  const [first, second] = await team.runs();
  expect(second).toBeDefined();
  // The subscription started a period: the run wrote its records (its timer had not fired), then continued as new.
  const commands = tasks(first!.history.events ?? []).flat();
  expect(commands.at(-1)).toBe('continued as new');
  expect(commands.lastIndexOf('local activity')).toBeGreaterThan(commands.indexOf('update completed'));
  expect(await auditCauses(team.teamId)).toEqual(['subscribe 3']);
  expect(await viewRow(team.teamId)).toMatchObject({ version: subscribed.published!.version, view: { members: 3 } });
  await team.recordHistory('subscribe-records-after-answer', 0);
});

test('a cancel answers with the pending change in its view; the records timer writes its audit row and view', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.settled('2026-05-20');

  const canceled = await team.handle.executeUpdate(cancelUpdate, { args: [] });
  const pendingChange = { plan: 'free', interval: 'month', effectiveOn: '2026-06-20' };
  expect(canceled).toMatchObject({ ...pendingChange, published: { view: { pendingChange } } });
  await team.recordsWritten();
  expect(await auditCauses(team.teamId)).toEqual(['subscribe 3', 'cancel 3']);
  expect(await viewRow(team.teamId)).toMatchObject({ version: canceled.published!.version, view: { pendingChange } });
});
