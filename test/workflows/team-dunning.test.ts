// Section 9 (payment failure) and crash safety of payments, on the time-skipping server with the real ledger.
import { subscribeUpdate } from '../../src/workflows';
import { WorkflowHarness } from '../support/workflow-harness';

/** The next `count` charges the sandbox accepts fail afterwards, as if the worker crashed before recording them. */
const crashAfterAcceptedCharge = { remaining: 0 };

let harness: WorkflowHarness;

beforeAll(async () => {
  harness = await WorkflowHarness.start({
    wrapProvider: (sandbox) => ({
      ...sandbox,
      async charge(request) {
        const charge = await sandbox.charge(request);
        if (crashAfterAcceptedCharge.remaining > 0) {
          crashAfterAcceptedCharge.remaining -= 1;
          throw new Error('connection reset after the provider accepted the charge');
        }
        return charge;
      },
    }),
  });
}, 180_000);

afterAll(() => harness?.teardown(), 60_000);

jest.setTimeout(120_000);

test('a declined renewal is retried 1, 3, 5 and 7 days later; after the last failure the team drops to Free that day', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10, card: 'pm_dunning_all_fail' });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await harness.sandbox.declineNextCharges('pm_dunning_all_fail', 5);

  await team.advanceTo('2026-06-20');
  expect(await team.state()).toMatchObject({
    plan: 'basic', status: 'past_due', periodEnd: '2026-07-20',
    dunning: { firstFailure: '2026-06-20', failedRetries: 0, nextTryOn: '2026-06-21' },
  });
  await team.advanceTo('2026-06-26');
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'past_due', dunning: { failedRetries: 3, nextTryOn: '2026-06-27' } });

  await team.advanceTo('2026-06-27');
  const { invoices, notifications, payments } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total, i.status])).toEqual([
    ['2026-05-20', 'subscribe', 12000, 'paid'],
    ['2026-06-20', 'renewal', 12000, 'failed'],
  ]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([
    ['2026-06-20', 'payment_failed'],
    ['2026-06-21', 'payment_failed'],
    ['2026-06-23', 'payment_failed'],
    ['2026-06-25', 'payment_failed'],
    ['2026-06-27', 'payment_failed'],
    ['2026-06-27', 'downgraded_to_free'],
  ]);
  expect(payments).toHaveLength(1);
  expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', restricted: true, dunning: null, period: null });
  await team.recordHistory('dunning-to-free', 2);
});

test('a retry that succeeds makes the team active again, its anchor unchanged', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3, card: 'pm_dunning_recovers' });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await harness.sandbox.declineNextCharges('pm_dunning_recovers', 2);

  await team.advanceTo('2026-06-23');
  const { invoices, notifications, providerCharges } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total, i.status, i.charged])).toEqual([
    ['2026-05-20', 'subscribe', 3600, 'paid', 3600],
    ['2026-06-20', 'renewal', 3600, 'paid', 3600],
  ]);
  expect(providerCharges.map((c) => [c.key, c.status])).toEqual([
    [`${team.teamId}:subscribe:2026-05-20:n1:attempt:1`, 'succeeded'],
    [`${team.teamId}:renewal:2026-06-20:n2:attempt:1`, 'declined'],
    [`${team.teamId}:renewal:2026-06-20:n2:attempt:2`, 'declined'],
    [`${team.teamId}:renewal:2026-06-20:n2:attempt:3`, 'succeeded'],
  ]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-06-20', 'payment_failed'], ['2026-06-21', 'payment_failed']]);
  expect(await team.state()).toMatchObject({ status: 'active', dunning: null, anchorDay: 20, periodEnd: '2026-07-20' });
});

test('a payment activity that fails after the provider accepted the charge is retried: one charge, one payment', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  crashAfterAcceptedCharge.remaining = 1;
  const invoice = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(crashAfterAcceptedCharge.remaining).toBe(0);
  expect(invoice).toMatchObject({ status: 'paid', total: 12000, charged: 12000 });
  const { invoices, payments, providerCharges } = await team.ledger();
  expect(invoices).toHaveLength(1);
  expect(providerCharges).toEqual([{ key: `${team.teamId}:subscribe:2026-05-20:n1:attempt:1`, amount: 12000, status: 'succeeded' }]);
  expect(payments).toEqual([{ invoiceKey: `${team.teamId}:subscribe:2026-05-20:n1`, amount: 12000, provider: 'sandbox' }]);
});
