// The work a renewal asks of the server (issue 24, billing day): under issue-invoice-local the renewal's invoice is
// written by a local activity inside the workflow task its timer woke, which goes on to schedule the collection; runs
// from before scheduled an issueInvoice activity and collected in the next workflow task. The money is the same
// (section 5: Basic monthly, 10 members, 10 × 1200 = 12000 at each renewal).
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { subscribeUpdate } from '../../src/workflows';
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
