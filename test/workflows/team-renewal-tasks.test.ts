// The work a renewal asks of the server (issue 24, billing day). Where no limit paces the provider's calls
// (collect-local), the renewal is one workflow task, its timer's: the invoice written, collected and the change
// recorded by local activities, then continued as new. Paced, the collection is an activity on the charges task queue
// (team-renewal-tasks-paced.test.ts). The money is the same (section 5: Basic monthly, 10 members, 10 × 1200 = 12000
// at each renewal).
import type { temporal } from '@temporalio/proto';
import { addMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { patchesTakenBy } from '../support/history-manifest';
import { afterTimerFired } from '../support/run-tasks';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

test('a renewal is the one workflow task its timer woke: invoice written, collected and recorded locally, then continued as new', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-20');

  const [first, renewed] = await team.runs();
  expect(patchesTakenBy(first!.history)).toEqual(expect.arrayContaining(['issue-invoice-local', 'collect-local']));
  // Under issue-invoice-local alone: 'task', 'local issueInvoice', 'activity collectInvoice', 'task', 'local recordSubscriptionChange'.
  expect(afterTimerFired(renewed!.history.events ?? [])).toEqual(['task', 'local issueInvoice', 'local collectInvoice', 'local recordSubscriptionChange']);
  expect(renewed!.history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  const { invoices, payments } = await team.ledger();
  expect(invoices.map(({ reason, total, status }) => ({ reason, total, status }))).toEqual([
    { reason: 'subscribe', total: 12000, status: 'paid' },
    { reason: 'renewal', total: 12000, status: 'paid' },
  ]);
  expect(payments.map((payment) => payment.amount)).toEqual([12000, 12000]);
  await team.recordHistory('monthly-renewal-collect-local', 1);
});

/** What a run's first workflow task commanded: the events right after its completion that commands write. */
function firstTaskCommands(events: HistoryEvent[]): string[] {
  const completed = events.findIndex((event) => event.workflowTaskCompletedEventAttributes);
  const commanded: string[] = [];
  for (const event of events.slice(completed + 1)) {
    if (event.timerStartedEventAttributes) commanded.push('timer');
    else if (event.markerRecordedEventAttributes) commanded.push(`marker ${event.markerRecordedEventAttributes.markerName}`);
    else if (event.upsertWorkflowSearchAttributesEventAttributes) commanded.push('upsert search attributes');
    else if (event.activityTaskScheduledEventAttributes) commanded.push('activity');
    else break;
  }
  return commanded;
}

const viewRow = async (teamId: string) =>
  (await harness.db('subscription_views').where({ team_id: teamId }).first('version', 'view')) as { version: string; view: { period: unknown; members: number } };

test('a run continued as new publishes nothing at its start: the run before published the same view and search attributes', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-20');
  const renewedView = await viewRow(team.teamId);

  const [first, afterSubscribe, afterRenewal] = await team.runs();
  expect(patchesTakenBy(first!.history)).toContain('carry-published');
  // Runs from before: 'upsert search attributes', 'marker core_local_activity' (recordSubscriptionChange), 'timer'.
  expect(firstTaskCommands(afterSubscribe!.history.events ?? [])).toEqual(['timer']);
  expect(firstTaskCommands(afterRenewal!.history.events ?? [])).toEqual(['timer']);
  expect(renewedView.view.period).toEqual({ start: '2026-06-20', end: '2026-07-20' });
  expect(renewedView.view).toEqual((await harness.db('subscription_views').where({ team_id: team.teamId }).first('view')).view);

  // The next change in the new run publishes, with a newer version (its records a moment after its answer).
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  await team.recordsWritten();
  const changed = await viewRow(team.teamId);
  expect(changed.view.members).toBe(11);
  expect(BigInt(changed.version) > BigInt(renewedView.version)).toBe(true);
  await team.recordHistory('renewed-run-carry-published', 2);
});
