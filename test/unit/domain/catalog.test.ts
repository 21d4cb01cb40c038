import {
  catalogVersionOn,
  defaultCatalog,
  freeCapacity,
  isRestricted,
  loadCatalog,
  memberPrice,
  renewalInvoice,
  seatPrice,
  tierOf,
  type Catalog,
  type Interval,
  type Plan,
} from '../../../src/domain';

describe('default catalog (section 2)', () => {
  test.each<[Plan, number, number | null, number | null, number | null]>([
    ['free', 0, 0, 0, null],
    ['basic', 1, 1200, 10800, 10800],
    ['professional', 2, 2400, 21600, 21600],
    ['enterprise', 3, null, null, 32400],
  ])('%s: tier %i, %p/month, %p/year, %p/seat-year', (plan, tier, month, year, seat) => {
    const on = '2026-05-20';
    expect(tierOf(plan, on)).toBe(tier);
    const price = (interval: Interval) => {
      try {
        return memberPrice(plan, interval, on);
      } catch {
        return null;
      }
    };
    expect([price('month'), price('year')]).toEqual([month, year]);
    const seatYear = (() => {
      try {
        return seatPrice(plan, on);
      } catch {
        return null;
      }
    })();
    expect(seatYear).toBe(seat);
  });

  test('Free capacity is 4 members; over it a Free team is restricted', () => {
    expect(freeCapacity('2026-05-20')).toBe(4);
    expect(isRestricted('free', 4, '2026-05-20')).toBe(false);
    expect(isRestricted('free', 5, '2026-05-20')).toBe(true);
    expect(isRestricted('basic', 50, '2026-05-20')).toBe(false);
  });
});

const raw = JSON.parse(JSON.stringify(defaultCatalog)) as { currency: string; versions: Record<string, unknown>[] };
type V1 = { plans: { basic: { perMember: { month: number; year: number } } } };

describe('validation on load', () => {
  test('the shipped data validates', () => {
    expect(loadCatalog(raw)).toEqual(defaultCatalog);
  });
  test.each<[string, (c: typeof raw) => void]>([
    ['a fractional price', (c) => ((c.versions[0] as V1).plans.basic.perMember.month = 12.5)],
    ['a negative price', (c) => ((c.versions[0] as V1).plans.basic.perMember.year = -1)],
    ['a bad effectiveFrom', (c) => ((c.versions[0] as Record<string, unknown>).effectiveFrom = '2026-02-30')],
    ['a missing plan', (c) => delete ((c.versions[0] as { plans: Record<string, unknown> }).plans.enterprise)],
    ['no versions', (c) => (c.versions = [])],
    ['versions out of order', (c) => c.versions.push({ ...(c.versions[0] as object), version: 2, effectiveFrom: '1999-01-01' })],
    ['a paid free plan', (c) => ((c.versions[0] as { plans: { free: { perMember: { month: number } } } }).plans.free.perMember.month = 100)],
  ])('rejects %s', (_name, spoil) => {
    const copy = JSON.parse(JSON.stringify(raw)) as typeof raw;
    spoil(copy);
    expect(() => loadCatalog(copy)).toThrow();
  });
});

describe('versions: a price change reaches a subscriber at its next renewal', () => {
  const v2 = JSON.parse(JSON.stringify(raw.versions[0])) as V1 & Record<string, unknown>;
  v2.version = 2;
  v2.effectiveFrom = '2026-06-01';
  v2.plans.basic.perMember = { month: 1500, year: 13500 };
  const catalog: Catalog = loadCatalog({ ...raw, versions: [raw.versions[0], v2] });

  test('the version in force on a day', () => {
    expect(catalogVersionOn(catalog, '2026-05-31').version).toBe(1);
    expect(catalogVersionOn(catalog, '2026-06-01').version).toBe(2);
    expect(() => catalogVersionOn(catalog, '1999-12-31')).toThrow(RangeError);
  });

  test('members added mid-period pay the old price; the renewal pays the new one', () => {
    const r = renewalInvoice({
      closing: { plan: 'basic', interval: 'month', period: { start: '2026-05-20', end: '2026-06-20' } },
      members: 11,
      anchorDay: 20,
      memberChanges: [{ on: '2026-06-05', delta: 1 }], // after the price change, inside the old period
      catalog,
    });
    expect(r.invoice.lines.map((l) => l.amount)).toEqual([1500 * 11, 581]); // 1200 × 15/31 = 580.6, old price
  });
});
