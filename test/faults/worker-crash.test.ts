// A worker killed with SIGKILL in the middle of a charge: the provider has accepted the charge, the ledger has not
// recorded it yet. The charge's collection is a local activity in the update's workflow task (collect-local: no rate
// limit set), so that task runs again on a second worker process, whose collection charges under the same
// idempotency key, gets the same charge back, and records one payment.
import { subscribeUpdate } from '../../src/workflows';
import { checkLedgerInvariant, faultLabPerFile, report } from '../support/fault-harness';

const labOf = faultLabPerFile('worker-crash');

test('a worker SIGKILLed after the provider accepted a charge: a new worker finishes it with one charge and one payment', async () => {
  const lab = labOf();
  const teamId = 'crash-team';
  const first = await lab.startWorker('first', { pauseAfterCharge: true });
  const handle = await lab.startTeam(teamId, { members: 5 });
  const subscribed = handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }], updateId: 'subscribe-once' });
  subscribed.catch(() => undefined); // awaited below; keeps an early failure from being unhandled

  const [paused] = await lab.chargesPaused(1);
  // The charge exists at the provider, and nothing in the ledger says it was paid.
  expect(await lab.db('sandbox_charges').where({ status: 'succeeded' }).select('id')).toEqual([{ id: paused!.providerPaymentId }]);
  expect(await lab.db('payments').select('id')).toEqual([]);
  expect(await lab.db('invoices').select('status')).toEqual([{ status: 'open' }]);

  const killedAt = Date.now();
  await first.kill();
  expect((await first.exited).signal).toBe('SIGKILL');
  const second = await lab.startWorker('second');

  const invoice = await subscribed;
  const recoveredMs = Date.now() - killedAt;
  expect(invoice).toMatchObject({ status: 'paid', charged: paused!.amount });

  const charges = await lab.db('sandbox_charges').select('id', 'idempotency_key', 'amount', 'status');
  const payments = await lab.db('payments').select('provider_payment_id', 'amount');
  expect(charges).toEqual([{ id: paused!.providerPaymentId, idempotency_key: paused!.key, amount: paused!.amount, status: 'succeeded' }]);
  expect(payments).toEqual([{ provider_payment_id: paused!.providerPaymentId, amount: paused!.amount }]);
  // The provider was asked twice under one key, once by each worker, and answered with the same charge both times.
  const calls = lab.providerCalls();
  expect(calls.map(({ pid, key, providerPaymentId }) => ({ pid, key, providerPaymentId }))).toEqual([
    { pid: first.pid, key: paused!.key, providerPaymentId: paused!.providerPaymentId },
    { pid: second.pid, key: paused!.key, providerPaymentId: paused!.providerPaymentId },
  ]);
  const attempts = await lab.activityAttempts(handle.workflowId);
  // One collection recorded, its marker's first attempt: the second worker's run of the workflow task (on the charges
  // queue, before collect-local, Temporal's retry of the activity recorded attempt 2).
  expect(attempts.collectInvoice).toEqual([1]);

  const figures = await checkLedgerInvariant(lab.db);
  expect(figures).toMatchObject({ paidInvoices: 1, payments: 1, providerCharges: 1, chargedCents: paused!.amount, recordedCents: paused!.amount });
  report('worker SIGKILL mid-charge', { charged: paused!.amount, recoveredMs, collectInvoiceAttempts: attempts.collectInvoice, ...figures });
}, 180_000);
