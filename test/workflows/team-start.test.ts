// A new team whose first request comes with its start (update-with-start of startTrial, issue 24 "Start burst"): one
// workflow task does all of it. Its one patch marker stands for every patch (patch-set-ledger-writes-local), the
// team's ledger row is a local activity (ensure-team-local), and open() leaves its records to the waiting request
// (records-to-waiting-turn), which writes them with its own before it answers: one records write, one upsert.
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { epochMs } from '../../src/domain';
import { startTrialUpdate, teamSubscription, teamWorkflowId } from '../../src/workflows';
import { TeamId } from '../../src/workflows/search-attributes';
import { patchMarkersOf } from '../support/history-manifest';
import { recordingHistories, storeHistory } from '../support/record-history';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The run's events after its first workflow task completed, by kind. */
function commandsOf(events: HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.workflowTaskScheduledEventAttributes) return ['workflow task'];
    if (event.markerRecordedEventAttributes?.markerName === 'core_patch') return [`patch:${patchMarkersOf({ events: [event] })[0]}`];
    if (event.markerRecordedEventAttributes) return ['local activity'];
    if (event.upsertWorkflowSearchAttributesEventAttributes) return ['upsert'];
    if (event.activityTaskScheduledEventAttributes) return ['activity'];
    if (event.workflowExecutionUpdateAcceptedEventAttributes) return ['update accepted'];
    if (event.workflowExecutionUpdateCompletedEventAttributes) return ['update completed'];
    if (event.timerStartedEventAttributes) return ['timer'];
    return [];
  });
}

test('update-with-start of startTrial: one workflow task, one patch marker, the team row, one records write, and the trial timer', async () => {
  const teamId = 'team-with-start';
  const clockOffsetMs = epochMs('2026-05-20') + 12 * 3600_000 - (await harness.env.currentTimeMs());
  const input = { teamId, team: { name: 'Team with start', billingCountry: 'DE' }, members: 4, paymentMethod: { provider: 'sandbox' as const, paymentMethodId: 'pm_card_visa' }, clockOffsetMs };
  const start = new WithStartWorkflowOperation(teamSubscription, {
    taskQueue: harness.taskQueue, workflowId: teamWorkflowId(teamId), workflowIdConflictPolicy: 'USE_EXISTING', args: [input], typedSearchAttributes: [{ key: TeamId, value: teamId }],
  });
  const answer = await harness.env.client.workflow.executeUpdateWithStart(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }], startWorkflowOperation: start });
  expect(answer).toEqual({ plan: 'basic', interval: 'month', trialEnd: '2026-06-03' });
  expect(answer).not.toHaveProperty('published'); // isolated: its records were written before it answered

  const history = await harness.env.client.workflow.getHandle(teamWorkflowId(teamId)).fetchHistory();
  // The start's workflow task, then nothing until the trial timer fires. Three local activities: the team's row,
  // the price in force, and the records of open() and the trial together.
  expect(commandsOf(history.events ?? [])).toEqual([
    'workflow task', 'patch:patch-set-ledger-writes-local', 'upsert', 'update accepted',
    'local activity', 'local activity', 'upsert', 'local activity', 'update completed', 'timer',
  ]);

  expect(await harness.db('teams').where({ id: teamId }).first('name', 'billing_country')).toEqual({ name: 'Team with start', billing_country: 'DE' });
  const view = (await harness.db('subscription_views').where({ team_id: teamId }).first('view')) as { view: { status: string; trial: unknown } };
  expect(view.view).toMatchObject({ status: 'trialing', trial: { start: '2026-05-20', end: '2026-06-03' } });
  const audits = (await harness.db('audit_events').where({ team_id: teamId }).orderBy('id').select('payload')) as { payload: { cause: string } }[];
  expect(audits.map(({ payload }) => payload.cause)).toEqual(['start_trial']); // open() wrote none: a new team's first view only
  if (recordingHistories()) storeHistory('start-trial-with-start-set-ledger-writes-local', history);
});
