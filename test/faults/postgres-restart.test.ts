// Postgres goes down while activities run: charges the provider accepted are about to be recorded, and new teams
// are writing their ledger records. Every activity fails, Temporal retries it, and once Postgres is back on the same
// data directory they all complete. Nothing is written twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { subscribeUpdate } from '../../src/workflows';
import { checkLedgerInvariant, faultLabPerFile, report } from '../support/fault-harness';

const labOf = faultLabPerFile('postgres-restart');

test('Postgres restarted while activities run: they retry and complete, and nothing is written twice', async () => {
  const lab = labOf();
  await lab.startWorker('worker', { pauseAfterCharge: true });
  const charging = ['pg-charging-1', 'pg-charging-2', 'pg-charging-3'];
  const subscriptions = await Promise.all(
    charging.map(async (teamId) => {
      const handle = await lab.startTeam(teamId, { members: 4 });
      const update = handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
      update.catch(() => undefined); // awaited below
      return { update }; // wrapped: returning the promise itself would make Promise.all wait for the paused charges
    }),
  );
  const paused = await lab.chargesPaused(charging.length);

  // Postgres stops with three charges accepted by the provider and not yet in the ledger.
  const downAt = Date.now();
  await lab.stopPostgres();
  lab.releaseCharges(); // settleInvoice now fails: the connection is gone
  // Teams started while it is down: their ensureTeam activity fails and is retried.
  const arriving = ['pg-arriving-1', 'pg-arriving-2'];
  const arrivals = await Promise.all(arriving.map((teamId) => lab.startTeam(teamId, { members: 2 })));
  await sleep(4_000);
  await lab.startPostgres();
  const downMs = Date.now() - downAt;

  const invoices = await Promise.all(subscriptions.map(({ update }) => update));
  for (const invoice of invoices) expect(invoice).toMatchObject({ status: 'paid' });
  const arrivedInvoices = await Promise.all(arrivals.map((handle) => handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'professional', interval: 'month' }] })));
  for (const invoice of arrivedInvoices) expect(invoice).toMatchObject({ status: 'paid' });

  // The retries happened, and wrote once.
  const attempts = await Promise.all([...charging, ...arriving].map((teamId) => lab.activityAttempts(`team:${teamId}`)));
  // A collection's local try fails at once with Postgres down; the charges-queue activity after it retries (its last attempt).
  const collectAttempts = attempts.slice(0, charging.length).map((a) => a.collectInvoice!.at(-1)!);
  const ensureAttempts = attempts.slice(charging.length).map((a) => a.ensureTeam![0]!);
  for (const attempt of [...collectAttempts, ...ensureAttempts]) expect(attempt).toBeGreaterThan(1);
  const teams = await lab.db('teams').select('id');
  expect(teams.map((row) => row.id).sort()).toEqual([...charging, ...arriving].sort());
  const charges = await lab.db('sandbox_charges').select('id', 'idempotency_key');
  expect(charges).toHaveLength(charging.length + arriving.length);
  for (const marker of paused) expect(charges).toContainEqual({ id: marker.providerPaymentId, idempotency_key: marker.key });
  expect(await lab.db('invoices').whereNot({ status: 'paid' }).select('id')).toEqual([]);

  const figures = await checkLedgerInvariant(lab.db);
  expect(figures).toMatchObject({ paidInvoices: 5, payments: 5, providerCharges: 5 });
  report('Postgres restart', { downMs, collectInvoiceAttempts: collectAttempts, ensureTeamAttempts: ensureAttempts, ...figures });
}, 150_000);
