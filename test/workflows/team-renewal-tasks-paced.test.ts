// A renewal where PAYMENT_PROVIDER_MAX_RPS paces the provider's calls (issue 24): issueInvoice answers collectOn
// 'charges-queue', so the collection is an activity on the charges task queue, which the server dispatches at that
// pace across every worker; the workflow task its result wakes records the change and continues as new. Unpaced, the
// renewal is one workflow task (team-renewal-tasks.test.ts). The money is the same: Basic monthly, 10 × 1200 = 12000.
import { subscribeUpdate } from '../../src/workflows';
import { chargesTaskQueue } from '../../src/workflows/charges-queue';
import { patchesTakenBy } from '../support/history-manifest';
import { afterTimerFired } from '../support/run-tasks';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile({ maxChargesPerSecond: 25 });

jest.setTimeout(120_000);

test('paced, a renewal collects on the charges task queue: its result is the next workflow task', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-20');

  const [first, renewed] = await team.runs();
  expect(patchesTakenBy(first!.history)).toContain('collect-local'); // the run takes the patch; the answer keeps the queue
  const events = renewed!.history.events ?? [];
  expect(afterTimerFired(events)).toEqual(['task', 'local issueInvoice', 'activity collectInvoice', 'task', 'local recordSubscriptionChange']);
  const collection = events.find((event) => event.activityTaskScheduledEventAttributes)!.activityTaskScheduledEventAttributes!;
  expect(collection.taskQueue?.name).toBe(chargesTaskQueue(harness.taskQueue));
  const { invoices, payments } = await team.ledger();
  expect(invoices.map(({ reason, total, status }) => ({ reason, total, status }))).toEqual([
    { reason: 'subscribe', total: 12000, status: 'paid' },
    { reason: 'renewal', total: 12000, status: 'paid' },
  ]);
  expect(payments.map((payment) => payment.amount)).toEqual([12000, 12000]);
  await team.recordHistory('monthly-renewal-paced-collect-local', 1);
});
