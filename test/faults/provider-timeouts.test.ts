// The payment provider times out: once after it charged (the answer is lost), once before the request reached it.
// Both look the same to the engine (PaymentProviderUnavailable, retryable): the collection's one local try (collect-local)
// fails, the charges-queue activity after it is retried by Temporal, and every call asks under the same idempotency key,
// so each invoice is charged exactly once.
import { subscribeUpdate } from '../../src/workflows';
import { checkLedgerInvariant, faultLabPerFile, report } from '../support/fault-harness';

const labOf = faultLabPerFile('provider-timeouts');

test('provider timeouts are retried under the same idempotency key, and each invoice is charged exactly once', async () => {
  const lab = labOf();
  await lab.startWorker('flaky-provider', { timeouts: ['lost-response', 'no-response'], stallMs: 250 });
  const teams = ['timeout-a', 'timeout-b', 'timeout-c'];
  const started = Date.now();
  const invoices = await Promise.all(
    teams.map(async (teamId, i) => {
      const handle = await lab.startTeam(teamId, { members: 3 + i });
      return handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
    }),
  );
  const elapsedMs = Date.now() - started;
  for (const invoice of invoices) expect(invoice).toMatchObject({ status: 'paid' });

  const calls = lab.providerCalls();
  const charges = await lab.db('sandbox_charges').orderBy('idempotency_key').select('id', 'idempotency_key', 'amount', 'status');
  expect(charges).toHaveLength(teams.length);
  for (const charge of charges) {
    // Three calls under the charge's one key: the lost answer, the request that never arrived, the retry that got
    // the first charge back.
    const forKey = calls.filter((call) => call.key === charge.idempotency_key);
    expect(forKey.map((call) => call.outcome)).toEqual(['lost-response', 'no-response', 'charged']);
    expect(forKey[0]!.providerPaymentId).toBe(charge.id);
    expect(forKey[2]!.providerPaymentId).toBe(charge.id);
    expect(charge.status).toBe('succeeded');
  }
  expect(new Set(calls.map((call) => call.key)).size).toBe(teams.length);
  // The local try (the lost answer), then the activity's attempts 1 (no response) and 2 (the charge back); recorded: 1, 2.
  for (const teamId of teams) expect((await lab.activityAttempts(`team:${teamId}`)).collectInvoice).toEqual([1, 2]);

  const figures = await checkLedgerInvariant(lab.db);
  expect(figures).toMatchObject({ paidInvoices: teams.length, payments: teams.length, providerCharges: teams.length });
  report('provider timeouts', { invoices: teams.length, providerCalls: calls.length, elapsedMs, ...figures });
}, 120_000);
