// Section 10, refunds: within 72 hours of the payment (14 days in the EU and UK), back to the payment method, and
// the refunded period ends that day. On the time-skipping server with the real ledger.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { addMembersUpdate, requestRefundUpdate, subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('a refund within 72 hours ends the refunded period today: Free, restricted over capacity, nothing more charged', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 6, billingCountry: 'US' });
  const paid = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(paid).toMatchObject({ total: 7200, charged: 7200, status: 'paid' }); // 1200 × 6 members
  await team.advanceTo('2026-05-21');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }); // prorated at renewal, which never comes

  await team.advanceTo('2026-05-22'); // 48 hours after the payment (noon to noon) ≤ 72
  const refund = await team.handle.executeUpdate(requestRefundUpdate, { args: [{}] });
  expect(refund).toMatchObject({ amount: 7200, periodEndedOn: '2026-05-22', restricted: true }); // 7 members > Free's 4
  expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', period: null, periodEnd: null, restricted: true, nextEventOn: null });

  await team.advanceTo('2026-06-22'); // past the old renewal day (06-20)
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total, i.status])).toEqual([['2026-05-20', 'subscribe', 7200, 'paid']]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-05-22', 'downgraded_to_free']]);
  const payments = await harness.db('payments').where({ team_id: team.teamId }).select('amount', 'refunded_amount', 'status');
  expect(payments).toEqual([{ amount: 7200, refunded_amount: 7200, status: 'refunded' }]);
  const refunds = await harness.db('payment_refunds').where({ payment_id: refund.paymentId }).select({ key: 'idempotency_key' }, 'amount');
  expect(refunds).toEqual([{ key: `${team.teamId}:subscribe:2026-05-20:n1:refund`, amount: 7200 }]);
  await team.recordHistory('refund-ends-period', 1); // run 0 ends with the subscribe's new period
});

test('a refund is refused outside the window: after 72 hours in the US, after 14 days in the EU', async () => {
  const us = await harness.startTeam({ start: '2026-05-20', members: 3, billingCountry: 'US' });
  await us.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await us.advanceTo('2026-05-24'); // 96 hours > 72
  const refused = await us.handle.executeUpdate(requestRefundUpdate, { args: [{}] }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'refund_window_closed' });
  expect(await us.state()).toMatchObject({ plan: 'basic', status: 'active', periodEnd: '2026-06-20' });

  const eu = await harness.startTeam({ start: '2026-05-20', members: 3, billingCountry: 'FR' });
  await eu.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await eu.advanceTo('2026-06-03'); // 14 days (336 h) after noon of 05-20, to the hour: the last moment allowed
  await expect(eu.handle.executeUpdate(requestRefundUpdate, { args: [{ paymentId: 'pay_other' }] })).rejects.toMatchObject({
    cause: { type: 'no_refundable_payment' },
  });
  await eu.advanceTo('2026-06-04'); // 15 days
  await expect(eu.handle.executeUpdate(requestRefundUpdate, { args: [{}] })).rejects.toMatchObject({ cause: { type: 'refund_window_closed' } });
  expect((await eu.ledger()).notifications).toEqual([]);
});
