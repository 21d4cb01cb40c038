// A renewal's own ledger writes besides its invoice (issue 24, billing day; patch ledger-writes-local): the removed
// members' refunds credited to the balance, and a declined card's payment_failed notice, are local activities in the
// workflow task its timer woke, as the invoice, its collection and the records are. Runs from before scheduled each
// as an activity and went on in a second workflow task. The money is section 5's Example M2.
import { removeMembersUpdate, setPaymentMethodUpdate, stateQuery, subscribeUpdate } from '../../src/workflows';
import { patchesTakenBy } from '../support/history-manifest';
import { afterTimerFired } from '../support/run-tasks';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('M2: the removed member refund credited to the balance in the renewal task, which it pays first (10800 − 1006 = 9794 by card)', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');

  const [first, renewed] = await team.runs();
  expect(patchesTakenBy(first!.history)).toContain('ledger-writes-local');
  // Runs from before: 'task', 'activity creditTeamBalance', 'task', 'local issueInvoice', ….
  expect(afterTimerFired(renewed!.history.events ?? [])).toEqual(['task', 'local creditTeamBalance', 'local issueInvoice', 'local collectInvoice', 'local recordSubscriptionChange']);
  const { invoices, payments } = await team.ledger();
  // 1200 × 26/31 = 1006.45… → 1006 refunded (May 25 → June 20 is 26 of the period's 31 days); renewal 1200 × 9 = 10800.
  expect(invoices.map(({ reason, total, status }) => ({ reason, total, status }))).toEqual([
    { reason: 'subscribe', total: 12000, status: 'paid' },
    { reason: 'renewal', total: 10800, status: 'paid' },
  ]);
  expect(payments.map((payment) => payment.amount)).toEqual([12000, 9794]);
  await team.recordHistory('monthly-renewal-balance-credit-local', 1);
});

test('a declined renewal: its payment_failed notice is written in the renewal task, and dunning begins', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_chargeDeclined' }] });
  await team.advanceTo('2026-06-20');

  const [, renewed] = await team.runs();
  expect(afterTimerFired(renewed!.history.events ?? [])).toEqual(['task', 'local issueInvoice', 'local collectInvoice', 'local recordNotification', 'local recordSubscriptionChange']);
  const { invoices } = await team.ledger();
  expect(invoices.map(({ reason, total, status }) => ({ reason, total, status }))).toEqual([
    { reason: 'subscribe', total: 12000, status: 'paid' },
    { reason: 'renewal', total: 12000, status: 'open' },
  ]);
  const notices = await harness.db('notifications').where({ team_id: team.teamId }).select('kind', 'on');
  expect(notices).toEqual([{ kind: 'payment_failed', on: '2026-06-20' }]);
  expect((await team.handle.query(stateQuery)).status).toBe('past_due');
  await team.recordHistory('monthly-renewal-declined-notice-local', 1);
});
