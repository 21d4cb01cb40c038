// Section 14, price versions: P1 with its arithmetic, notice-and-migrate and grandfathering.
import {
  migrationRenewalOn,
  periodChargeLine,
  priceAtRenewal,
  priceChangeNotice,
  priceInForce,
  seedPriceVersions,
  type PriceVersion,
} from '../../../src/domain';

const seed = seedPriceVersions();
const basicMonthly2: PriceVersion = { plan: 'basic', interval: 'month', version: 2, amount: 1500, publishedOn: '2026-06-01', grandfathered: false };

describe('price versions', () => {
  test("the seed is today's catalog, version 1 of every per-member price", () => {
    expect(seed.map((v) => [v.plan, v.interval, v.version, v.amount])).toEqual([
      ['basic', 'month', 1, 1200],
      ['basic', 'year', 1, 10800],
      ['professional', 'month', 1, 2400],
      ['professional', 'year', 1, 21600],
    ]);
    expect(periodChargeLine('basic', 'month', 10, { start: '2026-05-20', end: '2026-06-20' }).amount).toBe(10 * seed[0]!.amount);
  });

  test('P1: 1500 published 2026-06-01; renewal of 2026-06-20 (19 days later) 12000, of 2026-07-20 15000, notice 2026-06-01', () => {
    const versions = [...seed, basicMonthly2];
    const held = { version: 1, amount: 1200 };
    // 2026-06-01 + 30 days = 2026-07-01: Jun 20 is before it, Jul 20 is the first renewal on or after it.
    const june = priceAtRenewal(versions, 'basic', 'month', held, '2026-06-20');
    const july = priceAtRenewal(versions, 'basic', 'month', june, '2026-07-20');
    expect([june.amount * 10, july.amount * 10]).toEqual([12000, 15000]);
    expect(july.version).toBe(2);
    expect(priceChangeNotice(basicMonthly2, { held, nextRenewalOn: '2026-06-20', anchorDay: 20 })).toEqual({
      plan: 'basic', interval: 'month', from: 1200, to: 1500, version: 2, effectiveOn: '2026-07-20',
    });
  });

  test('a new subscription takes the price in force on its day', () => {
    const versions = [...seed, basicMonthly2];
    expect(priceInForce(versions, 'basic', 'month', '2026-05-31').amount).toBe(1200);
    expect(priceInForce(versions, 'basic', 'month', '2026-06-01').amount).toBe(1500);
  });

  test('a renewal exactly 30 days after publication takes it; an annual term moves at its first term end that far', () => {
    expect(migrationRenewalOn('2026-06-01', '2026-07-01', 'month', 1)).toBe('2026-07-01');
    expect(migrationRenewalOn('2026-06-01', '2026-06-15', 'year', 15)).toBe('2027-06-15');
    expect(migrationRenewalOn('2026-01-05', '2026-01-31', 'month', 31)).toBe('2026-02-28'); // clamped to the anchor
  });

  test('a grandfathered version leaves existing subscribers at their price, and sends them no notice', () => {
    const grand = { ...basicMonthly2, grandfathered: true };
    const held = { version: 1, amount: 1200 };
    expect(priceAtRenewal([...seed, grand], 'basic', 'month', held, '2027-06-20')).toEqual(held);
    expect(priceChangeNotice(grand, { held, nextRenewalOn: '2026-06-20', anchorDay: 20 })).toBeNull();
    expect(priceInForce([...seed, grand], 'basic', 'month', '2026-06-01').amount).toBe(1500); // new subscribers pay it
  });
});
