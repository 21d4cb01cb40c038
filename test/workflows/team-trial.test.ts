// Section 3 (trial) on the time-skipping server, with the real ledger.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { changePlanUpdate, cancelUpdate, addMembersUpdate, startTrialUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('T1: a trial of basic monthly from 2026-05-06 charges 12000 at trial end, 3000 from credits and 9000 by card', async () => {
  const team = await harness.startTeam({ start: '2026-05-06', members: 10, credits: 3000 });
  const trial = await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(trial).toMatchObject({ plan: 'basic', interval: 'month', trialEnd: '2026-05-20' });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-05-20', reason: 'trial_end', total: 12000 });

  await team.advanceTo('2026-05-20');

  const { invoices, payments } = await team.ledger();
  expect(invoices).toEqual([
    expect.objectContaining({
      key: `${team.teamId}:trial_end:2026-05-20:n1`, on: '2026-05-20', reason: 'trial_end', status: 'paid',
      total: 12000, balanceApplied: 0, creditsApplied: 3000, charged: 9000, periodStart: '2026-05-20', periodEnd: '2026-06-20',
      lines: [{ kind: 'period', description: 'Basic, monthly, 10 members, May 20 – Jun 20', amount: 12000 }],
    }),
  ]);
  expect(payments).toEqual([{ invoiceKey: `${team.teamId}:trial_end:2026-05-20:n1`, amount: 9000, provider: 'sandbox' }]);
  const state = await team.state();
  expect(state).toMatchObject({ plan: 'basic', interval: 'month', status: 'active', periodEnd: '2026-06-20', anchorDay: 20, trial: null });
  await team.recordHistory('trial-to-first-charge', 0);
});

test('a trial needs a payment method on file; the refused request leaves no trace in history', async () => {
  const team = await harness.startTeam({ start: '2026-05-06', members: 3, card: null });
  const refused = team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await expect(refused).rejects.toThrow(WorkflowUpdateFailedError);
  await expect(refused).rejects.toMatchObject({ cause: { type: 'payment_method_required' } });
  const history = await team.handle.fetchHistory();
  expect(history.events?.some((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
  expect((await team.state()).status).toBe('free');
});

test('members added during a trial are not prorated: trial end counts the members on that day', async () => {
  const team = await harness.startTeam({ start: '2026-05-06', members: 10 });
  await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'professional', interval: 'month' }] });
  await team.advanceTo('2026-05-10');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 2 }] });
  await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic' }] }); // switches the trial's plan
  await team.advanceTo('2026-05-20');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.reason, i.total, i.lines.length])).toEqual([['trial_end', 14400, 1]]); // 1200 × 12
});

test('canceling during a trial keeps the plan until trial end, then Free with nothing charged; one trial per team, ever', async () => {
  const team = await harness.startTeam({ start: '2026-05-06', members: 6 });
  await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'year' }] });
  await team.advanceTo('2026-05-12');
  expect(await team.handle.executeUpdate(cancelUpdate)).toMatchObject({ plan: 'free', interval: 'year', effectiveOn: '2026-05-20' });
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'trialing' });

  await team.advanceTo('2026-05-20');
  const { invoices, notifications } = await team.ledger();
  expect(invoices).toEqual([]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-05-20', 'downgraded_to_free']]);
  expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', restricted: true, hadTrial: true });

  const again = team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await expect(again).rejects.toMatchObject({ cause: { type: 'trial_already_used' } });
});
