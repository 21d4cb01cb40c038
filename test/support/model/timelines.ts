// Random team timelines in the scenario format of shared/spec/simulation.md: every action a team can take, on days
// that straddle month ends, leap days and anchors 29–31, over up to a year. Many events are refused by the engine
// (a cancel on Free, a refund past its window): those are part of the test, since a refusal must change nothing.
import fc from 'fast-check';
import { addDays, type Day } from '../../../src/domain';
import type { Scenario, ScenarioCoupon, ScenarioEvent } from '../../../src/simulation/scenario';

/** Start days where calendars are hardest: anchors 29–31, February in and out of leap years, year ends. */
const STARTS: Day[] = ['2026-01-29', '2026-01-30', '2026-01-31', '2026-03-31', '2026-05-20', '2026-08-31', '2026-12-31', '2027-02-28', '2028-01-31', '2028-02-29'];

/** Coupons every timeline's run has (section 14): percent off for months, once and for good (100% too), an amount off. */
const COUPONS: ScenarioCoupon[] = [
  { code: 'PCT20', percentOff: 20, duration: 'repeating', months: 3 },
  { code: 'HALF', percentOff: 50, duration: 'once' },
  { code: 'ALL', percentOff: 100, duration: 'forever' },
  { code: 'OFF1000', amountOff: 1000, duration: 'forever' },
];

const paidPlan = fc.constantFrom('basic', 'professional');
const interval = fc.constantFrom('month', 'year');

/** An event without its day, for each action. */
type Action = ScenarioEvent extends infer E ? (E extends unknown ? Omit<E, 'on'> : never) : never;

/** One action with its fields; `payOn` of an invoice-first order is an offset resolved against the event's day. */
const action: fc.Arbitrary<Action & { payAfter?: number }> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ action: fc.constant('startTrial' as const), plan: paidPlan, interval }) },
  { weight: 4, arbitrary: fc.record({ action: fc.constant('subscribe' as const), plan: paidPlan, interval }) },
  { weight: 4, arbitrary: fc.record({ action: fc.constant('addMembers' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ action: fc.constant('removeMembers' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 4,
    arbitrary: fc.record(
      { action: fc.constant('changePlan' as const), plan: fc.constantFrom('free', 'basic', 'professional'), interval },
      { requiredKeys: ['action'] },
    ).filter((e) => e.plan !== undefined || e.interval !== undefined),
  },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('withdrawPendingChange' as const) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('cancel' as const) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('grantCredits' as const), amount: fc.integer({ min: 100, max: 30_000 }) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('failPayments' as const), count: fc.integer({ min: 1, max: 6 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constant('buySeats' as const), plan: fc.constantFrom('basic', 'professional', 'enterprise'), seats: fc.integer({ min: 1, max: 15 }),
      invoiceFirst: fc.boolean(), payAfter: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('addSeats' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('requestRefund' as const) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('redeemCode' as const), code: fc.constantFrom(...COUPONS.map((c) => c.code)) }) },
  // A new price for everyone (section 14), lower or higher than the catalog's: per member per month, ×10 a year.
  {
    weight: 1,
    arbitrary: fc.record({ plan: paidPlan, interval, perMonth: fc.integer({ min: 500, max: 4_000 }), grandfather: fc.boolean() })
      .map(({ plan, interval, perMonth, grandfather }) => ({ action: 'publishPrice' as const, plan, interval, amount: interval === 'year' ? perMonth * 10 : perMonth, grandfather })),
  },
);

/** A timeline of 1–12 events over at most a year from its start. */
export const timelines: fc.Arbitrary<Scenario> = fc
  .record({
    start: fc.constantFrom(...STARTS),
    members: fc.integer({ min: 1, max: 12 }),
    country: fc.constantFrom('US', 'DE'),
    credits: fc.oneof(fc.constant(0), fc.integer({ min: 500, max: 20_000 })),
    balance: fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 5_000 })),
    steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 45 }), action), { minLength: 1, maxLength: 12 }),
    tail: fc.integer({ min: 1, max: 60 }),
  })
  .map(({ start, members, country, credits, balance, steps, tail }) => {
    const events: ScenarioEvent[] = [];
    let offset = 0;
    for (const [gap, { payAfter, ...event }] of steps) {
      offset = Math.min(offset + gap, 364);
      const on = addDays(start, offset);
      const paid = event.action === 'buySeats' && event.invoiceFirst && payAfter !== undefined ? { payOn: addDays(on, payAfter) } : {};
      const plain = event.action === 'buySeats' && !event.invoiceFirst ? { invoiceFirst: undefined } : {};
      events.push(JSON.parse(JSON.stringify({ on, ...event, ...plain, ...paid })) as ScenarioEvent);
    }
    const until = addDays(start, Math.min(offset + tail, 365));
    // A transfer is paid within the run: one due after it would never be made.
    const inRun = events.map((event) => (event.action === 'buySeats' && event.payOn && event.payOn >= until ? { ...event, payOn: undefined } : event));
    return { start, until, team: { members, country, credits, balance }, coupons: COUPONS, events: JSON.parse(JSON.stringify(inRun)) as ScenarioEvent[] };
  });
