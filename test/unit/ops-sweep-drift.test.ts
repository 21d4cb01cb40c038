import type { Day } from '../../src/domain';
import { driftOf, paidOn, restartInput } from '../../src/activities/sweep-drift';
import { pricedFor, type LedgerSubscription } from '../../src/activities/sweep-ledger';
import type { TeamSubscriptionView } from '../../src/workflows/team-subscription-messages';

const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;
const ledger: LedgerSubscription = {
  teamId: 't1', team: { name: 'Acme', billingCountry: 'US' }, plan: 'basic', interval: 'month', members: 5,
  period: { start: '2026-05-20', end: '2026-06-20' }, invoiceId: 'inv_1', reason: 'subscribe', openInvoices: [],
};
function view(today: Day, overrides: Partial<TeamSubscriptionView> = {}): TeamSubscriptionView {
  return {
    teamId: 't1', today, plan: 'basic', interval: 'month', status: 'active', members: 6, seats: null, restricted: false,
    period: { start: '2026-05-20', end: '2026-06-20' }, periodEnd: '2026-06-20', anchorDay: 20, trial: null, hadTrial: false,
    pendingChange: null, dunning: null, hasPaymentMethod: true, nextEventOn: '2026-06-20', busy: false, ...overrides,
  } as TeamSubscriptionView;
}

test('a period line is read from its plan, interval and quantity; one without them is not guessed', () => {
  const line = { invoice_id: 'inv_1', plan: 'professional', interval: 'year', quantity: 12 };
  expect(pricedFor(line)).toEqual({ plan: 'professional', interval: 'year', members: 12 });
  expect(pricedFor({ ...line, plan: 'basic', interval: 'month', quantity: 1 })).toEqual({ plan: 'basic', interval: 'month', members: 1 });
  // Written before the columns, with a description the migration could not read; or no period line at all.
  expect(pricedFor({ invoice_id: 'inv_1', plan: null, interval: null, quantity: null })).toBeNull();
  expect(pricedFor({ ...line, quantity: null })).toBeNull();
  expect(pricedFor({ ...line, plan: 'free' })).toBeNull();
  expect(pricedFor(undefined)).toBeNull();
});

test.each([
  ['in line', view('2026-06-01'), []],
  ['on Free while the ledger has a paid period', view('2026-06-01', { plan: 'free', status: 'free', period: null }), ['plan', 'period', 'status']],
  ['another interval', view('2026-06-01', { interval: 'year' }), ['interval']],
  ['past due with nothing open in the ledger', view('2026-06-01', { status: 'past_due' }), ['status']],
  ['renewal day: either side is right', view('2026-06-20', { period: { start: '2026-06-20', end: '2026-07-20' } }), []],
  ['still on the ended period after its end', view('2026-06-22'), ['renewal_overdue']],
  ['renewed, but the ledger has no renewal invoice', view('2026-06-22', { period: { start: '2026-06-20', end: '2026-07-20' } }), ['period']],
  ['on Free after a canceled period ended', view('2026-06-22', { plan: 'free', status: 'free', period: null }), []],
] as const)('drift: %s', (_name, workflow, expected) => {
  expect(driftOf(ledger, workflow)).toEqual(expected);
});

test('an open invoice in the ledger makes the team past due, in dunning for that invoice', () => {
  const unpaid = { ...ledger, openInvoices: [{ invoiceId: 'inv_1', key: 't1:subscribe:2026-05-20', total: 6000, issuedOn: '2026-05-20' }] };
  expect(driftOf(unpaid, view('2026-05-22'))).toEqual(['status']);
  const dunning = { invoiceId: 'inv_1', firstFailure: '2026-05-20', failedRetries: 1, nextTryOn: '2026-05-23' };
  expect(driftOf(unpaid, view('2026-05-22', { status: 'past_due', dunning }))).toEqual([]);
  expect(driftOf(unpaid, view('2026-05-22', { status: 'past_due', dunning: { ...dunning, invoiceId: 'inv_other' } }))).toEqual(['status']);
});

test('a paid plan needs a running workflow from the period start to its end day', () => {
  expect([paidOn(ledger, '2026-05-19'), paidOn(ledger, '2026-05-20'), paidOn(ledger, '2026-06-20'), paidOn(ledger, '2026-06-21')]).toEqual([false, true, true, false]);
});

test('started again from the ledger: its period, plan and dunning; members and card from the last run', () => {
  const unpaid = { ...ledger, openInvoices: [{ invoiceId: 'inv_1', key: 't1:subscribe:2026-05-20', total: 6000, issuedOn: '2026-05-20' }] };
  const input = restartInput(unpaid, '2026-05-22', { input: { teamId: 't1', team: ledger.team, members: 5, paymentMethod: VISA }, view: view('2026-05-22') });
  expect(input).toMatchObject({
    teamId: 't1', members: 6, paymentMethod: VISA,
    carried: {
      plan: 'basic', interval: 'month', status: 'past_due', members: 6, period: ledger.period, anchorDay: 20, paymentMethod: VISA,
      dunning: { invoiceId: 'inv_1', invoiceKey: 't1:subscribe:2026-05-20', total: 6000, firstFailure: '2026-05-20', failedRetries: 0, nextTryOn: '2026-05-21' },
      nextReviewOn: null, reminderOn: null, memberChanges: [],
    },
  });
  // Nothing of the last run readable: the ledger's members, and no card means it cannot be started.
  expect(restartInput(ledger, '2026-05-22', {})).toBeNull();
  const annual = restartInput({ ...ledger, interval: 'year', period: { start: '2026-01-31', end: '2027-01-31' } }, '2026-03-01', { paymentMethod: VISA });
  expect(annual?.carried).toMatchObject({ members: 5, anchorDay: 31, status: 'active', nextReviewOn: '2026-03-31', reminderOn: '2027-01-01' });
});
