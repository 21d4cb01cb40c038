import fc from 'fast-check';
import {
  addDays,
  memberChangeLines,
  membersAfter,
  periodDays,
  periodFrom,
  prorateFrom,
  unusedTimeLine,
  type MemberChange,
  type Period,
} from '../../../src/domain';

const may: Period = { start: '2026-05-20', end: '2026-06-20' }; // 31 days
const term: Period = { start: '2026-05-20', end: '2027-05-20' }; // 365 days

const summary = (changes: MemberChange[], period = may, interval: 'month' | 'year' = 'month') => {
  const r = memberChangeLines({ plan: 'basic', interval, period, changes });
  return {
    charges: r.charges.map((l) => [l.description, l.amount]),
    refunds: r.refunds.map((l) => [l.description, l.amount]),
  };
};

describe('member changes, monthly (basic 1200, May 20 → Jun 20, 31 days)', () => {
  test.each<[string, MemberChange[], { charges: (string | number)[][]; refunds: (string | number)[][] }]>([
    ['one added May 25 (M1)', [{ on: '2026-05-25', delta: 1 }], { charges: [['Basic, 1 member added May 25, 26/31 days', 1006]], refunds: [] }],
    ['one removed May 25 (M2)', [{ on: '2026-05-25', delta: -1 }], { charges: [], refunds: [['Basic, 1 member removed May 25, 26/31 days', 1006]] }],
    [
      'three added the same day make one line, rounded once',
      [{ on: '2026-05-25', delta: 1 }, { on: '2026-05-25', delta: 2 }],
      { charges: [['Basic, 3 members added May 25, 26/31 days', 3019]], refunds: [] }, // 3600 × 26/31 = 3019.35 (3 × 1006 would be 3018)
    ],
    [
      'two removed the same day make one refund',
      [{ on: '2026-05-25', delta: -1 }, { on: '2026-05-25', delta: -1 }],
      { charges: [], refunds: [['Basic, 2 members removed May 25, 26/31 days', 2013]] },
    ],
    ['added and removed the same day: nothing', [{ on: '2026-05-25', delta: 1 }, { on: '2026-05-25', delta: -1 }], { charges: [], refunds: [] }],
    [
      'added May 25, removed May 28: the 3 days in between',
      [{ on: '2026-05-28', delta: -1 }, { on: '2026-05-25', delta: 1 }],
      { charges: [['Basic, 1 member added May 25 and removed May 28, 3/31 days', 116]], refunds: [] }, // 1200 × 3/31 = 116.13
    ],
    [
      'removed May 25, added back May 28: 3 days refunded',
      [{ on: '2026-05-25', delta: -1 }, { on: '2026-05-28', delta: 1 }],
      { charges: [], refunds: [['Basic, 1 member removed May 25 and added back May 28, 3/31 days', 116]] },
    ],
    [
      'two added May 25, one removed Jun 1: one pair and one remaining add',
      [{ on: '2026-05-25', delta: 2 }, { on: '2026-06-01', delta: -1 }],
      {
        charges: [
          ['Basic, 1 member added May 25 and removed Jun 1, 7/31 days', 271], // 1200 × 7/31 = 270.97
          ['Basic, 1 member added May 25, 26/31 days', 1006],
        ],
        refunds: [],
      },
    ],
    ['added on the first day of the period: the whole period', [{ on: '2026-05-20', delta: 1 }], { charges: [['Basic, 1 member added May 20, 31/31 days', 1200]], refunds: [] }],
    ['added on the last day of the period: one day', [{ on: '2026-06-19', delta: 1 }], { charges: [['Basic, 1 member added Jun 19, 1/31 days', 39]], refunds: [] }], // 38.7
    ['removed on the last day of the period: one day', [{ on: '2026-06-19', delta: -1 }], { charges: [], refunds: [['Basic, 1 member removed Jun 19, 1/31 days', 39]] }],
    ['no changes', [], { charges: [], refunds: [] }],
  ])('%s', (_name, changes, expected) => {
    expect(summary(changes)).toEqual(expected);
  });

  test('a change on the period end belongs to the next period', () => {
    expect(() => summary([{ on: '2026-06-20', delta: 1 }])).toThrow(RangeError);
    expect(() => summary([{ on: '2026-05-19', delta: 1 }])).toThrow(RangeError);
  });

  test('an explicit price overrides the catalog (e.g. a grandfathered price)', () => {
    const r = memberChangeLines({ plan: 'basic', interval: 'month', period: may, price: 1000, changes: [{ on: '2026-05-25', delta: 1 }] });
    expect(r.chargeTotal).toBe(839); // 1000 × 26/31 = 838.7
  });
});

describe('member changes, annual (basic 10800, term 2026-05-20 → 2027-05-20, 365 days)', () => {
  test.each<[string, MemberChange[], { charges: (string | number)[][]; refunds: (string | number)[][] }]>([
    ['one added May 25 (A1)', [{ on: '2026-05-25', delta: 1 }], { charges: [['Basic, 1 member added May 25, 360/365 days', 10652]], refunds: [] }],
    ['one removed May 25 (A2)', [{ on: '2026-05-25', delta: -1 }], { charges: [], refunds: [['Basic, 1 member removed May 25, 360/365 days', 10652]] }],
    ['added on the term’s last day', [{ on: '2027-05-19', delta: 1 }], { charges: [['Basic, 1 member added May 19, 1/365 days', 30]], refunds: [] }], // 29.59
    ['added Jun 1, removed Jun 11', [{ on: '2026-06-01', delta: 1 }, { on: '2026-06-11', delta: -1 }], { charges: [['Basic, 1 member added Jun 1 and removed Jun 11, 10/365 days', 296]], refunds: [] }], // 295.9
  ])('%s', (_name, changes, expected) => {
    expect(summary(changes, term, 'year')).toEqual(expected);
  });

  test('a leap term prorates over 366 days', () => {
    const leap = periodFrom('2027-05-20', 'year');
    expect(periodDays(leap)).toBe(366);
    const r = memberChangeLines({ plan: 'professional', interval: 'year', period: leap, changes: [{ on: '2028-02-29', delta: 1 }] });
    expect(r.charges[0]).toEqual({ kind: 'members_added', description: 'Professional, 1 member added Feb 29, 81/366 days', amount: 4780 }); // 21600 × 81/366 = 4780.3
  });
});

describe('unused time of the old period', () => {
  test.each([
    ['U1: basic monthly, 10 members, from May 25', 1200, may, '2026-05-25', -10065, 'Unused time on Basic, 10 members, May 25 – Jun 20'],
    ['U2: basic annual, 10 members, from May 25', 10800, term, '2026-05-25', -106521, 'Unused time on Basic, 10 members, May 25, 2026 – May 20, 2027'],
    ['change on the first day: the whole old period', 1200, may, '2026-05-20', -12000, 'Unused time on Basic, 10 members, May 20 – Jun 20'],
    ['change on the last day: one day', 1200, may, '2026-06-19', -387, 'Unused time on Basic, 10 members, Jun 19 – Jun 20'], // 387.1
  ])('%s', (_name, price, period, today, amount, description) => {
    expect(unusedTimeLine('basic', price, 10, today, period)).toEqual({ kind: 'unused_time', description, amount });
  });
  test('prorateFrom', () => {
    expect(prorateFrom(10800, 3, '2026-07-02', { start: '2026-01-01', end: '2027-01-01' })).toBe(16244);
  });
});

test('membersAfter', () => {
  expect(membersAfter(10, [{ on: '2026-05-25', delta: 2 }, { on: '2026-05-26', delta: -1 }])).toBe(11);
  expect(() => membersAfter(1, [{ on: '2026-05-25', delta: -2 }])).toThrow(RangeError);
});

// ---- properties ------------------------------------------------------------

const periodArb = fc
  .tuple(fc.integer({ min: 19_000, max: 23_000 }), fc.constantFrom<'month' | 'year'>('month', 'year'))
  .map(([n, interval]) => ({ interval, period: periodFrom(addDays('1970-01-01', n), interval) }));

const changesIn = (period: Period) =>
  fc.array(
    fc.record({ offset: fc.integer({ min: 0, max: periodDays(period) - 1 }), delta: fc.integer({ min: -3, max: 3 }) }).map(({ offset, delta }) => ({ on: addDays(period.start, offset), delta })),
    { maxLength: 12 },
  );

describe('member change properties', () => {
  test('an add and a remove of the same member on the same day net to zero', () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), changesIn(p.period), fc.integer({ min: 0, max: periodDays(p.period) - 1 }), fc.integer({ min: 1, max: 5 }))),
        ([{ interval, period }, changes, offset, count]) => {
          const on = addDays(period.start, offset);
          const base = memberChangeLines({ plan: 'basic', interval, period, changes });
          const withPair = memberChangeLines({ plan: 'basic', interval, period, changes: [...changes, { on, delta: count }, { on, delta: -count }] });
          expect(withPair).toEqual(base);
          const only = memberChangeLines({ plan: 'basic', interval, period, changes: [{ on, delta: count }, { on, delta: -count }] });
          expect(only.chargeTotal + only.refundTotal).toBe(0);
        },
      ),
    );
  });

  test('every line lies between 0 and count × the full price; order of events does not matter', () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), changesIn(p.period))),
        ([{ interval, period }, changes]) => {
          const r = memberChangeLines({ plan: 'professional', interval, period, changes });
          const full = interval === 'month' ? 2400 : 21600;
          for (const line of [...r.charges, ...r.refunds]) {
            const count = Number(/(\d+) members?/.exec(line.description)?.[1]);
            expect(line.amount).toBeGreaterThanOrEqual(0);
            expect(line.amount).toBeLessThanOrEqual(full * count);
          }
          expect(memberChangeLines({ plan: 'professional', interval, period, changes: [...changes].reverse() })).toEqual(r);
        },
      ),
    );
  });

  test('charges − refunds equal the exact member-days value within one cent per line', () => {
    fc.assert(
      fc.property(
        periodArb.chain((p) => fc.tuple(fc.constant(p), changesIn(p.period))),
        ([{ interval, period }, changes]) => {
          const r = memberChangeLines({ plan: 'basic', interval, period, changes });
          const price = interval === 'month' ? 1200 : 10800;
          const days = periodDays(period);
          // Σ delta × price × daysLeft ÷ days, exact
          let numerator = 0;
          for (const c of changes) numerator += c.delta * price * (days - (Date.parse(c.on) - Date.parse(period.start)) / 86_400_000);
          const lines = r.charges.length + r.refunds.length;
          expect(Math.abs((r.chargeTotal - r.refundTotal) * days - numerator)).toBeLessThanOrEqual((lines * days) / 2);
        },
      ),
    );
  });
});
