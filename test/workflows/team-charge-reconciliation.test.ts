// A charge the provider leaves unsettled (#19, defect 4). Retries under one idempotency key stop inside the window
// the provider remembers the key for (24 hours at Stripe); then the charge is looked up at the provider, never made
// again: found paid, it is recorded once; found nowhere, the attempt failed and dunning tries under a new key.
import { Context } from '@temporalio/activity';
import { PaymentProviderUnavailable } from '../../src/payments/payment-provider';
import { subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const HOUR_MS = 3_600_000;

/** The provider takes the money but answers `processing` to every charge, then to the first lookups. */
const SETTLES_LATE = 'pm_settles_late';
/** A first attempt that never reaches the provider: every try of it fails before the request is sent. */
const NEVER_ARRIVES = 'pm_never_arrives';

/** Cards whose rule is on (a team subscribes with the card working, then its renewal meets the rule). */
const armed = new Set<string>();
let processingLookups = 0;

/** Every call at the provider, with how long after its activity was first scheduled that attempt started. */
const calls: { kind: 'charge' | 'lookup'; key: string; sinceScheduledMs: number }[] = [];

function record(kind: 'charge' | 'lookup', key: string): void {
  const { scheduledTimestampMs, currentAttemptScheduledTimestampMs } = Context.current().info;
  calls.push({ kind, key, sinceScheduledMs: currentAttemptScheduledTimestampMs - scheduledTimestampMs });
}

const harness = workflowHarnessForFile({
  wrapProvider: (sandbox) => ({
    ...sandbox,
    async charge(request) {
      record('charge', request.idempotencyKey);
      if (armed.has(request.paymentMethodId) && request.paymentMethodId === SETTLES_LATE) {
        await sandbox.charge(request);
        throw new PaymentProviderUnavailable(`payment of ${request.amount} is still processing`);
      }
      if (armed.has(request.paymentMethodId) && request.paymentMethodId === NEVER_ARRIVES && request.idempotencyKey.endsWith(':attempt:1')) {
        throw new PaymentProviderUnavailable('connection reset before the request reached the provider');
      }
      return sandbox.charge(request);
    },
    async findCharge(lookup) {
      record('lookup', lookup.idempotencyKey);
      if (lookup.paymentMethodId === SETTLES_LATE && processingLookups > 0) {
        processingLookups -= 1;
        throw new PaymentProviderUnavailable('still processing');
      }
      return sandbox.findCharge(lookup);
    },
  }),
});

jest.setTimeout(180_000);

async function subscribedTeam(card: string): Promise<TeamUnderTest> {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3, card });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  armed.add(card);
  return team;
}

test('a renewal left processing is retried for less than 20 hours, then found paid at the provider and recorded once', async () => {
  const team = await subscribedTeam(SETTLES_LATE);
  processingLookups = 2;
  await team.advanceTo('2026-06-22');

  const { invoices, payments, providerCharges, notifications } = await team.ledger();
  const renewal = invoices.find((invoice) => invoice.reason === 'renewal')!;
  expect(renewal).toMatchObject({ on: '2026-06-20', status: 'paid', charged: 3600 });
  const key = `${renewal.key}:attempt:1`;
  // One charge at the provider, one payment in the ledger: the provider's charges are the ledger's payments.
  expect(providerCharges.filter((charge) => charge.key === key)).toEqual([{ key, amount: 3600, status: 'succeeded' }]);
  expect(payments.filter((payment) => payment.invoiceKey === renewal.key)).toEqual([{ invoiceKey: renewal.key, amount: 3600, provider: 'sandbox' }]);
  expect(notifications.map((notification) => notification.kind)).not.toContain('payment_failed');
  expect(await team.state()).toMatchObject({ status: 'active', dunning: null, periodEnd: '2026-07-20' });

  const renewalCalls = calls.filter((call) => call.key === key);
  const charges = renewalCalls.filter((call) => call.kind === 'charge');
  expect(charges.length).toBeGreaterThan(1); // retried under the one key…
  for (const charge of charges) expect(charge.sinceScheduledMs).toBeLessThan(20 * HOUR_MS); // …inside the window
  // Then only lookups, under the same key: processing twice, then the charge found paid. Nothing charged after.
  const firstLookup = renewalCalls.findIndex((call) => call.kind === 'lookup');
  expect(renewalCalls.slice(firstLookup).map((call) => call.kind)).toEqual(['lookup', 'lookup', 'lookup']);

  // The lookup is its own activity, scheduled once (behind the `collect-reconcile` patch); its run is a replay fixture.
  const runs = await team.runs();
  const reconciled = runs.findIndex(({ history }) => history.events?.some((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'reconcileCharge'));
  expect(reconciled).toBeGreaterThanOrEqual(0);
  await team.recordHistory('charge-reconciled-after-processing', reconciled);
});

test('a renewal whose charge never reached the provider is a failed attempt; dunning charges the next day under a new key', async () => {
  const team = await subscribedTeam(NEVER_ARRIVES);
  await team.advanceTo('2026-06-22');
  const { invoices, payments, providerCharges, notifications } = await team.ledger();
  const renewal = invoices.find((invoice) => invoice.reason === 'renewal')!;
  expect(renewal).toMatchObject({ status: 'paid', charged: 3600 });
  expect(providerCharges.filter((charge) => charge.key.startsWith(`${renewal.key}:`))).toEqual([
    { key: `${renewal.key}:attempt:2`, amount: 3600, status: 'succeeded' },
  ]);
  expect(payments.filter((payment) => payment.invoiceKey === renewal.key)).toHaveLength(1);
  expect(notifications.filter((notification) => notification.kind === 'payment_failed').map((notification) => notification.on)).toEqual(['2026-06-20']);
  expect(await team.state()).toMatchObject({ status: 'active', dunning: null, periodEnd: '2026-07-20' });

  const lookups = calls.filter((call) => call.kind === 'lookup' && call.key === `${renewal.key}:attempt:1`);
  expect(lookups).toHaveLength(1);
  for (const charge of calls.filter((call) => call.kind === 'charge' && call.key === `${renewal.key}:attempt:1`)) {
    expect(charge.sinceScheduledMs).toBeLessThan(20 * HOUR_MS);
  }
});
