// A request in a burst of the team's requests answers as soon as its change is made (issue 24, patches
// records-after-answer and records-in-bursts): its answer carries the view it published, for the caller to write to
// the read model (the API does, before it answers), and the burst's records (audit rows, view) are written together by
// the run's records timer a second later. The timer is started by the workflow task that completes the update, so the
// records are as durable as the answer. An isolated request writes its records before it answers, in one task.
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { addMembersUpdate, cancelUpdate, changePlanUpdate, subscribeUpdate, type AnswerPublication } from '../../src/workflows';
import { RECORDS_TIMER_SUMMARY } from '../../src/workflows/team/change-records';
import { patchesTakenBy, patchMarkersOf } from '../support/history-manifest';
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

test('a burst of member changes: the first writes its records before it answers, the rest answer first and one timer writes theirs', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.settled('2026-05-20');

  const answers: AnswerPublication[] = await Promise.all([1, 2, 3, 4].map(() => team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] })));
  const published = answers.flatMap((answer) => (answer.published ? [answer.published] : [])).sort((a, b) => a.version - b.version);
  // The first to take its turn was alone (no answer before it in this run); the three after it came within 250 ms.
  expect(published.map((p) => p.view.members)).toEqual([12, 13, 14]);
  expect(published[2]).toMatchObject({ clockOffsetMs: expect.any(Number), at: expect.stringMatching(/^2026-05-20T/) });

  await team.recordsWritten();
  const [, run] = await team.runs();
  const runTasks = tasks(run!.history.events ?? []);
  // The records timer was started by a task that completed an update (one completion: as durable as the answer).
  expect(runTasks.some((task) => task.includes('records timer') && task.includes('update completed'))).toBe(true);
  expect(runTasks.flat().filter((command) => command === 'update completed')).toHaveLength(4);
  expect(await auditCauses(team.teamId)).toEqual(['subscribe 10', 'add_members 11', 'add_members 12', 'add_members 13', 'add_members 14']);
  expect(await viewRow(team.teamId)).toMatchObject({ version: published[2]!.version, view: { members: 14 } });
  expect(patchMarkersOf(run!.history)).toEqual([]); // carried from the first run, which decided them
  expect(patchesTakenBy((await team.runs())[0]!.history)).toEqual(expect.arrayContaining(['records-after-answer', 'records-in-bursts']));
  await team.recordHistory('member-burst-records-in-bursts', 1);
});

test('a request answered in a burst just before the run continues as new has its records written by that run', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.settled('2026-05-20');
  const answers: AnswerPublication[] = await Promise.all([
    team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }),
    team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] }), // immediate: a new period, continue-as-new
  ]);
  expect(answers.filter((answer) => answer.published)).toHaveLength(1);
  await team.settled('2026-05-20');

  const [, second, third] = await team.runs();
  expect(third).toBeDefined();
  // The upgrade started a period: the run wrote the burst's records (its timer had not fired), then continued as new.
  const commands = tasks(second!.history.events ?? []).flat();
  expect(commands.at(-1)).toBe('continued as new');
  expect(commands.lastIndexOf('local activity')).toBeGreaterThan(commands.lastIndexOf('update completed'));
  expect((await auditCauses(team.teamId)).map((cause) => cause.split(' ')[0]).sort()).toEqual(['add_members', 'change_plan', 'subscribe']);
  expect(await viewRow(team.teamId)).toMatchObject({ view: { members: 11, plan: 'professional' } });
});

test('an isolated request writes its records before it answers, in its one workflow task; its answer carries no view', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.settled('2026-05-20');

  const canceled = await team.handle.executeUpdate(cancelUpdate, { args: [] });
  const pendingChange = { plan: 'free', interval: 'month', effectiveOn: '2026-06-20' };
  expect(canceled).toEqual(pendingChange);
  expect(await auditCauses(team.teamId)).toEqual(['subscribe 3', 'cancel 3']); // at once: no timer to wait for
  expect(await viewRow(team.teamId)).toMatchObject({ view: { pendingChange } });
  const [, run] = await team.runs();
  expect(tasks(run!.history.events ?? []).filter((task) => task.includes('update completed'))).toEqual([['local activity', 'update completed']]);
  await team.recordHistory('isolated-request-records-in-bursts', 1);
});
