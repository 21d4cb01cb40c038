import { classifyPlanChange, deferredPeriodOf, newPeriodOf, planChange, type Interval, type Plan, type Period } from '../../../src/domain';

const on = '2026-05-25';

describe('classifyPlanChange: the table of section 6', () => {
  test.each<[string, Plan, Interval, { plan?: Plan; interval?: Interval }, unknown]>([
    ['tier up, same interval (monthly)', 'basic', 'month', { plan: 'professional' }, { timing: 'immediate', rule: 'tier_up', to: { plan: 'professional', interval: 'month' } }],
    ['tier up, same interval (annual)', 'basic', 'year', { plan: 'professional' }, { timing: 'immediate', rule: 'tier_up', to: { plan: 'professional', interval: 'year' } }],
    ['monthly → annual', 'basic', 'month', { interval: 'year' }, { timing: 'immediate', rule: 'monthly_to_annual', to: { plan: 'basic', interval: 'year' } }],
    ['tier down, same interval', 'professional', 'month', { plan: 'basic' }, { timing: 'deferred', rule: 'tier_down', to: { plan: 'basic', interval: 'month' } }],
    ['tier down, same interval (annual)', 'professional', 'year', { plan: 'basic' }, { timing: 'deferred', rule: 'tier_down', to: { plan: 'basic', interval: 'year' } }],
    ['annual → monthly', 'basic', 'year', { interval: 'month' }, { timing: 'deferred', rule: 'annual_to_monthly', to: { plan: 'basic', interval: 'month' } }],
    ['cancel (to free)', 'professional', 'year', { plan: 'free' }, { timing: 'deferred', rule: 'cancel', to: { plan: 'free', interval: 'year' } }],
    [
      'tier up and annual → monthly at once',
      'basic', 'year', { plan: 'professional', interval: 'month' },
      { timing: 'split', rule: 'tier_up_and_annual_to_monthly', now: { plan: 'professional', interval: 'year' }, atPeriodEnd: { plan: 'professional', interval: 'month' } },
    ],
    ['tier down and monthly → annual at once', 'professional', 'month', { plan: 'basic', interval: 'year' }, { timing: 'immediate', rule: 'tier_down_and_monthly_to_annual', to: { plan: 'basic', interval: 'year' } }],
    ['tier up and monthly → annual at once (both rows are now)', 'basic', 'month', { plan: 'professional', interval: 'year' }, { timing: 'immediate', rule: 'tier_up_and_monthly_to_annual', to: { plan: 'professional', interval: 'year' } }],
    ['tier down and annual → monthly at once (both rows at term end)', 'professional', 'year', { plan: 'basic', interval: 'month' }, { timing: 'deferred', rule: 'tier_down_and_annual_to_monthly', to: { plan: 'basic', interval: 'month' } }],
    ['no change', 'basic', 'month', { plan: 'basic' }, { timing: 'none' }],
    ['no change (empty request)', 'basic', 'month', {}, { timing: 'none' }],
  ])('%s', (_name, plan, interval, to, expected) => {
    expect(classifyPlanChange({ plan, interval }, to, on)).toEqual(expected);
  });

  test('enterprise is sold by seats only', () => {
    expect(classifyPlanChange({ plan: 'basic', interval: 'month' }, { plan: 'enterprise' }, on)).toMatchObject({ timing: 'invalid' });
  });
  test('a team on Free subscribes instead', () => {
    expect(classifyPlanChange({ plan: 'free', interval: 'month' }, { plan: 'basic' }, on)).toMatchObject({ timing: 'invalid' });
  });
});

describe('planChange outcomes', () => {
  const may: Period = { start: '2026-05-20', end: '2026-06-20' };
  const current = { plan: 'basic' as const, interval: 'month' as const, period: may, members: 10 };

  test('immediate change on the first day of the period: the whole old period is unused', () => {
    const c = planChange({ current, to: { plan: 'professional' }, today: '2026-05-20' });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.invoice.lines.map((l) => l.amount)).toEqual([24000, -12000]);
    expect(c.invoice.total).toBe(12000);
    expect(c.period).toEqual({ start: '2026-05-20', end: '2026-06-20' });
    expect(c.anchorDay).toBe(20);
  });

  test('an immediate change bills the period\'s unbilled member changes on its invoice (the quote and the charge are this one invoice)', () => {
    // U1 with a member added 2026-05-22 (11 members): 2400 × 11 = 26400; −1200 × 11 × 26/31 = −11070.97 → −11071;
    // the addition, 1200 × 29/31 = 1122.58 → 1123, billed now since the old period ends today.
    const added = planChange({ current: { ...current, members: 11 }, to: { plan: 'professional' }, today: on, unbilledMemberChanges: [{ on: '2026-05-22', delta: 1 }] });
    if (added.timing !== 'immediate') throw new Error(added.timing);
    expect(added.invoice.lines.map((l) => [l.kind, l.amount])).toEqual([['period', 26400], ['unused_time', -11071], ['members_added', 1123]]);
    expect([added.invoice.total, added.memberRefundTotal]).toEqual([26400 - 11071 + 1123, 0]);
    // Removed instead (9 members): 21600 and −1200 × 9 × 26/31 = −9058.06 → −9058 on the invoice; 1123 to the balance.
    const removed = planChange({ current: { ...current, members: 9 }, to: { plan: 'professional' }, today: on, unbilledMemberChanges: [{ on: '2026-05-22', delta: -1 }] });
    if (removed.timing !== 'immediate') throw new Error(removed.timing);
    expect(removed.invoice.lines.map((l) => l.amount)).toEqual([21600, -9058]);
    expect(removed.memberRefundTotal).toBe(1123);
  });

  test('immediate change on the last day of the period: one day unused', () => {
    const c = planChange({ current, to: { plan: 'professional' }, today: '2026-06-19' });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.invoice.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Professional, monthly, 10 members, Jun 19 – Jul 19', 24000],
      ['Unused time on Basic, 10 members, Jun 19 – Jun 20', -387], // 12000 × 1/31 = 387.1
    ]);
  });

  test('an immediate change on the 31st anchors the new period on the 31st', () => {
    const c = planChange({ current: { ...current, period: { start: '2026-01-20', end: '2026-02-20' } }, to: { plan: 'professional' }, today: '2026-01-31' });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.period).toEqual({ start: '2026-01-31', end: '2026-02-28' });
    expect(c.anchorDay).toBe(31);
  });

  test('an immediate change clears the pending change; a deferred one replaces it', () => {
    expect(planChange({ current, to: { interval: 'year' }, today: '2026-05-25' })).toMatchObject({ timing: 'immediate', pending: null });
    expect(planChange({ current, to: { plan: 'free' }, today: '2026-05-25' })).toEqual({
      timing: 'deferred', rule: 'cancel', pending: { plan: 'free', interval: 'month', effectiveOn: '2026-06-20' },
    });
  });

  test('a day outside the current period is refused', () => {
    expect(() => planChange({ current, to: { plan: 'professional' }, today: '2026-06-20' })).toThrow(RangeError);
  });
});

describe('section 14: the price in force for the new period, the price held for the unused time', () => {
  const may: Period = { start: '2026-05-20', end: '2026-06-20' };
  const current = { plan: 'basic' as const, interval: 'month' as const, period: may, members: 10, price: { version: 2, amount: 1500 } };

  test('basic → professional on the first day: 3000 × 10 = 30000 at version 3; −1500 × 10 × 31/31 = −15000', () => {
    const c = planChange({ current, to: { plan: 'professional' }, today: '2026-05-20', price: { version: 3, amount: 3000 } });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.invoice.lines.map((l) => [l.kind, l.amount, l.priceVersion])).toEqual([['period', 30000, 3], ['unused_time', -15000, undefined]]);
  });

  test('newPeriodOf names the period whose price a change fixes today: the immediate part only', () => {
    const annual = { plan: 'basic' as const, interval: 'year' as const };
    expect(newPeriodOf(current, { plan: 'professional' }, '2026-05-25')).toEqual({ plan: 'professional', interval: 'month' });
    expect(newPeriodOf(annual, { plan: 'professional', interval: 'month' }, '2026-05-25')).toEqual({ plan: 'professional', interval: 'year' }); // split
    expect(newPeriodOf({ plan: 'professional', interval: 'month' }, { plan: 'basic' }, '2026-05-25')).toBeNull(); // deferred
    expect(newPeriodOf(current, { plan: 'free' }, '2026-05-25')).toBeNull();
  });

  test('deferredPeriodOf names the period a deferred change starts and its day (its price is the one in force then); none for Free', () => {
    const deferred = planChange({ current: { plan: 'professional', interval: 'year', period: { start: '2026-05-20', end: '2027-05-20' }, members: 10 }, to: { plan: 'basic', interval: 'month' }, today: '2026-08-01' });
    if (deferred.timing !== 'deferred') throw new Error(deferred.timing);
    expect(deferredPeriodOf(deferred.pending)).toEqual({ plan: 'basic', interval: 'month', on: '2027-05-20' }); // tier down and annual → monthly at term end
    expect(deferredPeriodOf({ plan: 'free', interval: 'month', effectiveOn: '2026-06-20' })).toBeNull();
    expect(deferredPeriodOf(null)).toBeNull();
  });
});
