// The team workflow's amounts (src/workflows/team/charges.ts) as tables, each with its arithmetic: the same
// functions price the charge and the upcoming-invoice preview, so the preview is the bill.
import type { TeamState } from '../../../src/workflows/team-subscription-messages';
import { cancellationCharge, renewalCharge, trialEndCharge, unbilledMemberLines, upcomingInvoice } from '../../../src/workflows/team/charges';
import { newTeamState, startPeriod } from '../../../src/workflows/team/state';
import { pendingChangePrice } from '../../../src/workflows/team/price-changes';

const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

/** Basic monthly, anchor 2026-05-20, 10 members (M1 and M2 of the rules), with the period's member changes. */
function monthly(changes: { on: string; delta: number }[], members = 10): TeamState {
  const state: TeamState = { ...newTeamState({ teamId: 't1', team: { name: 'Acme', billingCountry: 'US' }, members, paymentMethod: VISA }), plan: 'basic', status: 'active' };
  startPeriod(state, { start: '2026-05-20', end: '2026-06-20' }, 20);
  state.memberChanges = changes;
  return state;
}

describe('renewal: next period price × members, plus the closing period\'s member changes', () => {
  test.each<[string, { on: string; delta: number }[], number, number[], number]>([
    // M1: 1200 × 11 = 13200, plus 1200 × 26/31 = 1006.45 → 1006 for the member added May 25.
    ['M1: one added May 25', [{ on: '2026-05-25', delta: 1 }], 11, [13200, 1006], 0],
    // M2: 1200 × 9 = 10800; the removal's 1006 goes to the balance, not on the invoice.
    ['M2: one removed May 25', [{ on: '2026-05-25', delta: -1 }], 9, [10800], 1006],
    // Added and removed the same day: nothing to prorate.
    ['added and removed May 25', [{ on: '2026-05-25', delta: 1 }, { on: '2026-05-25', delta: -1 }], 10, [12000], 0],
  ])('%s', (_name, changes, members, lines, refundTotal) => {
    const renewal = renewalCharge(monthly(changes, members));
    expect(renewal.invoice.lines.map((line) => line.amount)).toEqual(lines);
    expect([renewal.invoice.on, renewal.refundTotal, renewal.next]).toEqual(['2026-06-20', refundTotal, { plan: 'basic', interval: 'month' }]);
  });

  test('a pending downgrade prices the next period at its plan: professional → basic, 1200 × 10', () => {
    const state = { ...monthly([]), plan: 'professional' as const, pendingChange: { plan: 'basic' as const, interval: 'month' as const, effectiveOn: '2026-06-20' } };
    expect(renewalCharge(state).invoice.lines.map((line) => [line.plan, line.amount])).toEqual([['basic', 12000]]);
  });
});

describe('the preview is the charge', () => {
  test('the upcoming invoice of M1 is its renewal, line for line', () => {
    const state = monthly([{ on: '2026-05-25', delta: 1 }], 11);
    const renewal = renewalCharge(state);
    expect(upcomingInvoice(state)).toEqual({ on: '2026-06-20', reason: renewal.invoice.reason, lines: renewal.invoice.lines, total: 14206, refundsToBalance: [] });
  });

  test('canceled: the last invoice bills only the unbilled additions (1006); with none there is nothing to preview', () => {
    const canceled = (changes: { on: string; delta: number }[]) => ({ ...monthly(changes), pendingChange: { plan: 'free' as const, interval: 'month' as const, effectiveOn: '2026-06-20' } });
    expect(cancellationCharge(canceled([{ on: '2026-05-25', delta: 1 }]), '2026-06-20').invoice?.lines.map((line) => line.amount)).toEqual([1006]);
    expect(upcomingInvoice(canceled([{ on: '2026-05-25', delta: -1 }]))).toBeNull();
    expect(unbilledMemberLines(canceled([{ on: '2026-05-25', delta: -1 }])).refundTotal).toBe(1006);
  });
});

describe('section 14: the price a team took', () => {
  test('a trial that took 1500 (version 2) charges 1500 × 10 = 15000 at trial end; one from before versions, the catalog\'s 12000', () => {
    const trialing = (price?: { version: number; amount: number }): TeamState => ({
      ...newTeamState({ teamId: 't1', team: { name: 'Acme', billingCountry: 'US' }, members: 10, paymentMethod: VISA }),
      plan: 'basic', status: 'trialing', hadTrial: true, trial: { start: '2026-06-03', end: '2026-06-17' }, ...(price ? { price } : {}),
    });
    expect(trialEndCharge(trialing({ version: 2, amount: 1500 })).invoice.lines.map((l) => [l.amount, l.priceVersion])).toEqual([[15000, 2]]);
    expect(upcomingInvoice(trialing({ version: 2, amount: 1500 }))?.total).toBe(15000);
    expect(trialEndCharge(trialing()).invoice.lines.map((l) => [l.amount, l.priceVersion])).toEqual([[12000, undefined]]);
  });

  test('M1 at a held 1500 (version 2): 1500 × 11 = 16500, and the member added May 25 at 1500 × 26/31 = 1258.06 → 1258', () => {
    const state = { ...monthly([{ on: '2026-05-25', delta: 1 }], 11), price: { version: 2, amount: 1500 } };
    expect(renewalCharge(state).invoice.lines.map((l) => [l.kind, l.amount, l.priceVersion])).toEqual([['period', 16500, 2], ['members_added', 1258, undefined]]);
    expect(unbilledMemberLines(state).chargeTotal).toBe(1258);
  });
});

describe('section 14: a deferred change takes the price in force on its day', () => {
  // Professional monthly, 10 members, anchor the 20th, moving to Basic monthly on 2026-06-20; Basic 1500 is version 2.
  const downgrading = (): TeamState => ({
    ...monthly([]), plan: 'professional', price: { version: 1, amount: 2400 }, pendingChange: { plan: 'basic', interval: 'month', effectiveOn: '2026-06-20' },
  });
  const basic1500 = { plan: 'basic', interval: 'month', on: '2026-06-20', version: 2, amount: 1500 } as const;

  test('the renewal applying it at 1500: 1500 × 10 = 15000 at version 2; without that price, the catalog\'s 1200 × 10 = 12000', () => {
    expect(renewalCharge(downgrading(), { version: 2, amount: 1500 }).invoice.lines.map((l) => [l.plan, l.amount, l.priceVersion])).toEqual([['basic', 15000, 2]]);
    expect(renewalCharge(downgrading()).invoice.lines.map((l) => [l.plan, l.amount, l.priceVersion])).toEqual([['basic', 12000, undefined]]);
  });

  test('the preview is that renewal when the price read is for the pending change\'s plan, interval and day; another is not used', () => {
    expect(pendingChangePrice(downgrading(), basic1500)).toEqual({ version: 2, amount: 1500 });
    expect(upcomingInvoice(downgrading(), basic1500)).toMatchObject({ on: '2026-06-20', total: 15000, lines: [{ amount: 15000, priceVersion: 2 }] });
    for (const other of [{ ...basic1500, interval: 'year' as const }, { ...basic1500, plan: 'professional' as const }, { ...basic1500, on: '2026-07-20' }]) {
      expect(pendingChangePrice(downgrading(), other)).toBeNull();
      expect(upcomingInvoice(downgrading(), other)?.total).toBe(12000);
    }
    expect(pendingChangePrice({ ...downgrading(), pendingChange: null }, basic1500)).toBeNull();
  });
});
