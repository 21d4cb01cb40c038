// The pure parts of the team workflow as tables: what startPeriod and stateFromLedger schedule, and which event
// the schedule says is due. The time-skipping tests (test/workflows/) run the same rules through the workflow.
import type { TeamState } from '../../../src/workflows/team-subscription-messages';
import { dueEvent, nextEventOn, scheduledEvents } from '../../../src/workflows/team/schedule';
import { dropToFree, newTeamState, startPeriod, stateFromLedger, type LedgerFacts } from '../../../src/workflows/team/state';

const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;
const input = { teamId: 't1', team: { name: 'Acme', billingCountry: 'US' }, members: 5, paymentMethod: VISA };
const free = (): TeamState => newTeamState(input);

describe('startPeriod: a new period and what it schedules', () => {
  test.each<[string, 'month' | 'year', { start: string; end: string }, number, string | null, string | null]>([
    // Monthly: the renewal is the member review; nothing else is scheduled.
    ['monthly', 'month', { start: '2026-05-20', end: '2026-06-20' }, 20, null, null],
    // Annual: first review one anchored month in; reminder on term end − 30 days (2027-05-20 − 30 = 2027-04-20).
    ['annual', 'year', { start: '2026-05-20', end: '2027-05-20' }, 20, '2026-06-20', '2027-04-20'],
    // Anchor 31: the February review clamps to the 28th; reminder 2027-01-31 − 30 = 2027-01-01.
    ['annual, anchor 31', 'year', { start: '2026-01-31', end: '2027-01-31' }, 31, '2026-02-28', '2027-01-01'],
  ])('%s', (_name, interval, period, anchorDay, review, reminder) => {
    const state = { ...free(), plan: 'basic' as const, interval, memberChanges: [{ on: '2026-05-01', delta: 1 }] };
    startPeriod(state, period, anchorDay);
    expect(state).toMatchObject({ period, anchorDay, memberChanges: [], trial: null, nextReviewOn: review, reminderOn: reminder });
  });
});

describe('stateFromLedger: a lost run started again on `today`', () => {
  const annual: LedgerFacts = {
    plan: 'basic', interval: 'year', period: { start: '2026-01-31', end: '2027-01-31' }, anchorDay: 31, members: 5,
    paymentMethod: VISA, dunning: null, pendingChange: null, hadTrial: true,
  };
  test.each<[string, string, string | null, string | null]>([
    ['before the first review', '2026-02-10', '2026-02-28', '2027-01-01'],
    ['on a review day: the next one (that one ran or is the lost run\'s)', '2026-03-31', '2026-04-30', '2027-01-01'],
    ['after the last review (2026-12-31), before the reminder', '2026-12-31', null, '2027-01-01'],
    ['after the reminder: only the renewal is left', '2027-01-10', null, null],
  ])('%s (%s)', (_name, today, review, reminder) => {
    expect(stateFromLedger(input, annual, today)).toMatchObject({
      plan: 'basic', interval: 'year', status: 'active', period: annual.period, anchorDay: 31, hadTrial: true, nextReviewOn: review, reminderOn: reminder,
    });
  });

  test('an unpaid invoice: past due, and the retry is the first event', () => {
    const dunning = { invoiceId: 'inv_1', invoiceKey: 't1:renewal:n3', total: 6000, firstFailure: '2026-05-20', failedRetries: 1, nextTryOn: '2026-05-25' };
    const state = stateFromLedger(input, { ...annual, interval: 'month', period: { start: '2026-05-20', end: '2026-06-20' }, anchorDay: 20, dunning }, '2026-05-22');
    expect(state).toMatchObject({ status: 'past_due', nextReviewOn: null, reminderOn: null });
    expect(scheduledEvents(state)).toEqual([{ kind: 'payment_retry', on: '2026-05-25' }, { kind: 'renewal', on: '2026-06-20' }]);
  });
});

describe('the schedule: which event is due', () => {
  const annual = (): TeamState => {
    const state = { ...free(), plan: 'basic' as const, interval: 'year' as const, status: 'active' as const };
    startPeriod(state, { start: '2026-05-20', end: '2027-05-20' }, 20);
    return state;
  };
  test.each<[string, string, string | null]>([
    ['the day before the first review: nothing', '2026-06-19', null],
    ['the review day', '2026-06-20', 'member_review'],
    ['days later (a worker was down): the review still runs', '2026-06-25', 'member_review'],
  ])('%s', (_name, today, kind) => {
    expect(dueEvent(annual(), today)?.kind ?? null).toBe(kind);
  });

  test('of one day\'s events, the retry settles the old invoice before the renewal', () => {
    const state = { ...free(), plan: 'basic' as const, status: 'past_due' as const };
    startPeriod(state, { start: '2026-05-20', end: '2026-06-20' }, 20);
    state.dunning = { invoiceId: 'inv_1', invoiceKey: 'k', total: 6000, firstFailure: '2026-05-20', failedRetries: 2, nextTryOn: '2026-06-20' };
    expect(dueEvent(state, '2026-06-20')).toEqual({ kind: 'payment_retry', on: '2026-06-20' });
  });

  test('Free schedules nothing', () => {
    const state = annual();
    dropToFree(state);
    expect([scheduledEvents(state), nextEventOn(state)]).toEqual([[], null]);
  });
});
