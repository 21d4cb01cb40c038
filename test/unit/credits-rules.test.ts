import { creditExpiry, isGrantExpired, manualInvoicingEligibility, type CreditGrant } from '../../src/domain';
import { armedAt, crossesLowBalance } from '../../src/ledger/credits/low-balance';

describe('credit expiry: the exact boundary', () => {
  const grant: CreditGrant = { id: 'g', amount: 1000, acquiredOn: '2026-01-01', expiresAt: creditExpiry('2026-01-01') };

  test.each([
    ['2026-01-01', '2029-12-31T23:59:59Z'],
    ['2026-12-31T23:59:59Z', '2029-12-31T23:59:59Z'],
    ['2027-01-01T00:00:00Z', '2030-12-31T23:59:59Z'],
  ])('acquired %s → usable through %s', (acquired, expiresAt) => {
    expect(creditExpiry(acquired)).toBe(expiresAt);
  });

  test('usable at Dec 31 23:59:59 UTC, expired at Jan 1 00:00:00 UTC', () => {
    expect(isGrantExpired(grant, '2029-12-31T23:59:59Z')).toBe(false);
    expect(isGrantExpired(grant, '2029-12-31T23:59:59.999Z')).toBe(false);
    expect(isGrantExpired(grant, '2030-01-01T00:00:00Z')).toBe(true);
  });
});

describe('manual invoicing across month boundaries', () => {
  const month = (at: string, amount = 100_000) => ({ at, amount });

  test('the last second of a month counts for that month, the first second of the next for the next', () => {
    const purchases = [month('2026-02-28T23:59:59Z'), month('2026-03-01T00:00:00Z'), month('2026-04-30T23:59:59Z')];
    expect(manualInvoicingEligibility(purchases, '2026-05-01')).toEqual({
      eligible: true,
      months: [{ month: '2026-02', purchased: 100_000 }, { month: '2026-03', purchased: 100_000 }, { month: '2026-04', purchased: 100_000 }],
      reason: null,
    });
  });

  test('the current month is not full and does not count; a short month is named', () => {
    const purchases = [month('2026-03-15'), month('2026-04-15'), month('2026-05-15', 99_999), month('2026-06-02', 500_000)];
    expect(manualInvoicingEligibility(purchases, '2026-06-30')).toMatchObject({ eligible: false, reason: 'credit purchases were below $1,000 in 2026-05' });
  });

  test('the window crosses a year boundary', () => {
    const purchases = [month('2025-11-30T23:59:59Z'), month('2025-12-01'), month('2026-01-31T23:59:59Z', 150_000)];
    expect(manualInvoicingEligibility(purchases, '2026-02-01').months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(manualInvoicingEligibility(purchases, '2026-02-01').eligible).toBe(true);
  });
});

describe('low-balance alert: one per crossing', () => {
  test('crossing below the threshold alerts only while armed', () => {
    expect(crossesLowBalance({ balance: 499, threshold: 500, armed: true })).toBe(true);
    expect(crossesLowBalance({ balance: 500, threshold: 500, armed: true })).toBe(false);
    expect(crossesLowBalance({ balance: 10, threshold: 500, armed: false })).toBe(false);
    expect(crossesLowBalance({ balance: 0, threshold: null, armed: true })).toBe(false);
  });

  test('a balance back at the threshold re-arms it', () => {
    expect(armedAt(499, 500)).toBe(false);
    expect(armedAt(500, 500)).toBe(true);
    expect(armedAt(0, null)).toBe(true);
  });
});
