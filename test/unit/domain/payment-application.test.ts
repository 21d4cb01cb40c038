import fc from 'fast-check';
import { acquireCredits, applyPayment, buildInvoice, payInvoice, type CreditGrant } from '../../../src/domain';

const grant = (id: string, amount: number, acquired: string): CreditGrant => acquireCredits(id, amount, acquired).grant;

describe('applyPayment: balance, then credits soonest-expiring first, then the card', () => {
  const g2024 = grant('g2024', 500, '2024-03-01'); // expires 2027-12-31T23:59:59Z
  const g2025 = grant('g2025', 2000, '2025-06-01'); // expires 2028-12-31T23:59:59Z
  const g2026 = grant('g2026', 3000, '2026-01-10'); // expires 2029-12-31T23:59:59Z

  test.each<[string, number, number, CreditGrant[], string, Record<string, unknown>]>([
    ['balance covers everything', 10800, 20000, [g2026], '2026-06-20', { balanceApplied: 10800, creditsApplied: 0, charged: 0, balanceAfter: 9200, creditUses: [] }],
    ['balance, then credits, then card', 10800, 1006, [g2026], '2026-06-20', { balanceApplied: 1006, creditsApplied: 3000, charged: 6794, balanceAfter: 0, creditUses: [{ grantId: 'g2026', amount: 3000 }] }],
    [
      'soonest-expiring grant first',
      2200, 0, [g2026, g2025, g2024], '2026-06-20',
      { balanceApplied: 0, creditsApplied: 2200, charged: 0, creditUses: [{ grantId: 'g2024', amount: 500 }, { grantId: 'g2025', amount: 1700 }] },
    ],
    ['expired grants are skipped', 2200, 0, [g2024, g2026], '2028-01-01', { creditsApplied: 2200, charged: 0, creditUses: [{ grantId: 'g2026', amount: 2200 }] }],
    ['nothing to pay', 0, 500, [g2026], '2026-06-20', { total: 0, balanceApplied: 0, creditsApplied: 0, charged: 0, balanceAfter: 500 }],
    ['a negative total goes to the balance', -700, 500, [g2026], '2026-06-20', { total: 0, charged: 0, balanceCredited: 700, balanceAfter: 1200 }],
  ])('%s', (_name, total, balance, grants, now, expected) => {
    expect(applyPayment({ total, balance, grants, now })).toMatchObject(expected);
  });

  test('grantsAfter keeps the given order and never goes below zero', () => {
    const r = applyPayment({ total: 2200, balance: 0, grants: [g2026, g2025, g2024], now: '2026-06-20' });
    expect(r.grantsAfter.map((g) => [g.id, g.amount])).toEqual([['g2026', 3000], ['g2025', 300], ['g2024', 0]]);
  });

  test('payInvoice records the sources on the invoice', () => {
    const invoice = buildInvoice('2026-06-20', 'renewal', [{ kind: 'period', description: 'Basic, monthly, 9 members, Jun 20 – Jul 20', amount: 10800 }]);
    const { invoice: paid } = payInvoice(invoice, { balance: 1006, grants: [], now: '2026-06-20' });
    expect(paid).toMatchObject({ total: 10800, balanceApplied: 1006, creditsApplied: 0, charged: 9794 });
  });

  test('refuses a negative balance', () => {
    expect(() => applyPayment({ total: 100, balance: -1, grants: [], now: '2026-06-20' })).toThrow(RangeError);
  });
});

const grantsArb = fc
  .uniqueArray(
    fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), amount: fc.integer({ min: 0, max: 50_000 }), year: fc.integer({ min: 2022, max: 2028 }), doy: fc.integer({ min: 0, max: 364 }) }),
    { selector: (g) => g.id, maxLength: 8 },
  )
  .map((gs) =>
    gs.map(({ id, amount, year, doy }) => {
      const acquiredOn = new Date(Date.UTC(year, 0, 1 + doy)).toISOString().slice(0, 10);
      return { id, amount, acquiredOn, expiresAt: `${year + 3}-12-31T23:59:59Z` };
    }),
  );
const nowArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2032, 0, 1) }).map((ms) => new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('payment application properties', () => {
  test('pays exactly the total and never takes a balance or grant below zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 200_000 }), grantsArb, nowArb, (total, balance, grants, now) => {
        const r = applyPayment({ total, balance, grants, now });
        expect(r.balanceApplied + r.creditsApplied + r.charged).toBe(total);
        expect(r.creditUses.reduce((s, u) => s + u.amount, 0)).toBe(r.creditsApplied);
        for (const value of [r.balanceApplied, r.creditsApplied, r.charged, r.balanceAfter]) expect(value).toBeGreaterThanOrEqual(0);
        r.grantsAfter.forEach((g, i) => {
          expect(g.amount).toBeGreaterThanOrEqual(0);
          expect(g.amount).toBeLessThanOrEqual(grants[i]?.amount ?? -1);
        });
        // the card pays only what the balance and the usable credits could not
        const usable = grants.filter((g) => Date.parse(now) < Date.parse(g.expiresAt) + 1000).reduce((s, g) => s + g.amount, 0);
        expect(r.charged).toBe(Math.max(0, total - balance - usable));
      }),
    );
  });

  test('the order of credit grants never changes how much is applied, only (possibly) which grant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        grantsArb.chain((gs) => fc.tuple(fc.constant(gs), fc.shuffledSubarray(gs, { minLength: gs.length, maxLength: gs.length }))),
        nowArb,
        (total, balance, [grants, shuffled], now) => {
          const a = applyPayment({ total, balance, grants, now });
          const b = applyPayment({ total, balance, grants: shuffled, now });
          expect([b.balanceApplied, b.creditsApplied, b.charged]).toEqual([a.balanceApplied, a.creditsApplied, a.charged]);
          // soonest expiry first: no grant is touched while one expiring earlier still has credits
          for (const use of a.creditUses) {
            const used = grants.find((g) => g.id === use.grantId) as { expiresAt: string };
            const after = new Map(a.grantsAfter.map((g) => [g.id, g]));
            for (const other of grants) {
              const rest = after.get(other.id)?.amount ?? 0;
              if (rest > 0 && Date.parse(now) < Date.parse(other.expiresAt) + 1000) expect(Date.parse(other.expiresAt)).toBeGreaterThanOrEqual(Date.parse(used.expiresAt));
            }
          }
        },
      ),
    );
  });
});
