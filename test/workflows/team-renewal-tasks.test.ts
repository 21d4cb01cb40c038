// The work a renewal asks of the server (issue 24, billing day): under issue-invoice-local the renewal's invoice is
// written by a local activity inside the workflow task its timer woke, which goes on to schedule the collection; runs
// from before scheduled an issueInvoice activity and collected in the next workflow task. The money is the same
// (section 5: Basic monthly, 10 members, 10 × 1200 = 12000 at each renewal).
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { addMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { patchMarkersOf } from '../support/history-manifest';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What the run did from its timer firing on: `task` per completed workflow task, then its activities by type. */
function afterTimerFired(events: HistoryEvent[]): string[] {
  const fired = events.findIndex((event) => event.timerFiredEventAttributes);
  return events.slice(fired + 1).flatMap((event) => {
    if (event.workflowTaskCompletedEventAttributes) return ['task'];
    const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled) return [`activity ${scheduled}`];
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const { activity_type: type } = defaultPayloadConverter.fromPayload<{ activity_type: string }>(marker.details!.data!.payloads![0]!);
      return [`local ${type}`];
    }
    return [];
  });
}

test('a renewal writes its invoice locally and schedules its collection in the one workflow task its timer woke', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-20');

  const [first, renewed] = await team.runs();
  expect(patchMarkersOf(first!.history)).toContain('issue-invoice-local');
  expect(afterTimerFired(renewed!.history.events ?? [])).toEqual([
    'task', 'local issueInvoice', 'activity collectInvoice', // was: 'task', 'activity issueInvoice', 'task', 'activity collectInvoice'
    'task', 'local recordSubscriptionChange',
  ]);
  const { invoices, payments } = await team.ledger();
  expect(invoices.map(({ reason, total, status }) => ({ reason, total, status }))).toEqual([
    { reason: 'subscribe', total: 12000, status: 'paid' },
    { reason: 'renewal', total: 12000, status: 'paid' },
  ]);
  expect(payments.map((payment) => payment.amount)).toEqual([12000, 12000]);
  await team.recordHistory('monthly-renewal-issue-invoice-local', 1);
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
  expect(patchMarkersOf(first!.history)).toContain('carry-published');
  // Runs from before: 'upsert search attributes', 'marker core_local_activity' (recordSubscriptionChange), 'timer'.
  expect(firstTaskCommands(afterSubscribe!.history.events ?? [])).toEqual(['timer']);
  expect(firstTaskCommands(afterRenewal!.history.events ?? [])).toEqual(['timer']);
  expect(renewedView.view.period).toEqual({ start: '2026-06-20', end: '2026-07-20' });
  expect(renewedView.view).toEqual((await harness.db('subscription_views').where({ team_id: team.teamId }).first('view')).view);

  // The next change in the new run publishes, with a newer version.
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  const changed = await viewRow(team.teamId);
  expect(changed.view.members).toBe(11);
  expect(BigInt(changed.version) > BigInt(renewedView.version)).toBe(true);
  await team.recordHistory('renewed-run-carry-published', 2);
});
