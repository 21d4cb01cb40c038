// Section 14, coupons and promotion codes: C1–C3 with their arithmetic, and every refusal naming its reason.
import {
  checkCoupon,
  checkRedemption,
  couponApplies,
  couponEndsOn,
  couponSpent,
  discountedRefund,
  discountInvoice,
  normalizeCode,
  renewalInvoice,
  subscribeInvoice,
  taxLines,
  taxRateFor,
  type Coupon,
  type HeldCoupon,
  type Invoice,
  type PromotionCode,
} from '../../../src/domain';

const launch20: Coupon = { id: 'launch20', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: null };
const fiftyOnce: Coupon = { id: 'fifty', percentOff: null, amountOff: 5000, duration: 'once', months: null, plans: null };
const held = (coupon: Coupon, redeemedOn: string): HeldCoupon => ({ coupon, code: coupon.id.toUpperCase(), redeemedOn, usedOn: null });

/** The basic monthly invoices of a team subscribed 2026-05-20 with 10 members: May 20, then each renewal to Aug 20. */
function basicMonthlyInvoices(members: number): Invoice[] {
  const first = subscribeInvoice({ plan: 'basic', interval: 'month', members, today: '2026-05-20' });
  const invoices = [first.invoice];
  let period = first.period;
  for (let k = 0; k < 3; k++) {
    const renewal = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period }, members, anchorDay: 20 });
    invoices.push(renewal.invoice);
    period = renewal.period;
  }
  return invoices;
}

function discounted(invoices: Invoice[], coupon: HeldCoupon | null): Invoice[] {
  let state = coupon;
  return invoices.map((invoice) => {
    const r = discountInvoice(invoice, state, 'basic');
    state = r.held;
    return r.invoice;
  });
}

describe('worked examples of section 14', () => {
  test('C1: LAUNCH20 (20% off, repeating 3 months) from 2026-05-20: May, June, July 12000 − 2400 = 9600; August 12000', () => {
    const invoices = discounted(basicMonthlyInvoices(10), held(launch20, '2026-05-20'));
    // It ends 3 months after redemption, on 2026-08-20: invoices dated before that day get it.
    expect(couponEndsOn(held(launch20, '2026-05-20'))).toBe('2026-08-20');
    expect(invoices.map((i) => [i.on, i.lines.map((l) => l.amount), i.total])).toEqual([
      ['2026-05-20', [12000, -2400], 9600], // 1200 × 10 = 12000; −round(20% × 12000) = −2400
      ['2026-06-20', [12000, -2400], 9600],
      ['2026-07-20', [12000, -2400], 9600],
      ['2026-08-20', [12000], 12000],
    ]);
    expect(invoices[0]?.lines[1]).toMatchObject({ kind: 'discount', description: 'Discount LAUNCH20, 20% off' });
  });

  test('C2: 5000 off once, Basic monthly with 3 members: line 3600, discount −3600, total 0; the rest is lost', () => {
    const [first, second] = discounted(basicMonthlyInvoices(3), held(fiftyOnce, '2026-05-20'));
    expect(first?.lines.map((l) => l.amount)).toEqual([3600, -3600]); // 1200 × 3; −min(5000, 3600)
    expect(first?.total).toBe(0);
    expect(second?.lines.map((l) => l.amount)).toEqual([3600]); // once: the first invoice only, the 1400 left is lost
  });

  test('C3: C1 for a consumer team in Germany: 12000 − 2400 = 9600, tax 1824, total 11424', () => {
    const [first] = discounted(basicMonthlyInvoices(10), held(launch20, '2026-05-20'));
    const rate = taxRateFor('DE', '2026-05-20', { taxIdValid: false, sellerCountry: 'US' });
    // Tax after the discount: 9600 × 19% = 1824.
    expect(taxLines(first?.lines.map((l) => l.amount) ?? [], rate)).toEqual({ net: 9600, tax: 1824, total: 11424 });
  });
});

describe('discount lines', () => {
  test('percent off is rounded once, half away from zero, on the sum of the other lines', () => {
    const invoice: Invoice = { on: '2026-06-20', reason: 'renewal', lines: [{ kind: 'period', description: 'p', amount: 13200 }, { kind: 'members_added', description: 'a', amount: 1006 }], total: 14206 };
    const pct15: Coupon = { ...launch20, percentOff: 15, duration: 'forever', months: null };
    // 15% × 14206 = 2130.9 → 2131 (not 1980 + 151 = 2131 by luck: one rounding of the sum)
    expect(discountInvoice(invoice, held(pct15, '2026-06-01'), 'basic').invoice.total).toBe(14206 - 2131);
  });

  test('no discount on a negative or empty invoice, on a seat order, before redemption, or for another plan', () => {
    const plan = { ...launch20, plans: ['professional' as const] };
    expect(couponApplies(held(launch20, '2026-05-20'), { on: '2026-05-19', reason: 'renewal', plan: 'basic' })).toBe(false);
    expect(couponApplies(held(launch20, '2026-05-20'), { on: '2026-05-20', reason: 'seat_order', plan: 'basic' })).toBe(false);
    expect(couponApplies(held(plan, '2026-05-20'), { on: '2026-05-20', reason: 'renewal', plan: 'basic' })).toBe(false);
    expect(couponApplies(held(plan, '2026-05-20'), { on: '2026-05-20', reason: 'renewal', plan: 'professional' })).toBe(true);
    const credit: Invoice = { on: '2026-05-25', reason: 'plan_change', lines: [{ kind: 'unused_time', description: 'u', amount: -500 }], total: -500 };
    expect(discountInvoice(credit, held(launch20, '2026-05-20'), 'basic').invoice.lines).toHaveLength(1);
  });

  test('a repeating coupon redeemed on the 31st ends on the clamped day; a used once coupon is spent', () => {
    expect(couponEndsOn(held({ ...launch20, months: 1 }, '2026-01-31'))).toBe('2026-02-28');
    expect(couponSpent(held(launch20, '2026-05-20'), '2026-08-19')).toBe(false);
    expect(couponSpent(held(launch20, '2026-05-20'), '2026-08-20')).toBe(true);
    expect(couponSpent({ ...held(fiftyOnce, '2026-05-20'), usedOn: '2026-05-20' }, '2026-05-20')).toBe(true);
  });

  test("a removed member's refund is reduced by the percent off, not by an amount off", () => {
    expect(discountedRefund(1006, 20)).toBe(805); // 1006 − round(201.2) = 805
    expect(discountedRefund(1006, null)).toBe(1006);
  });
});

describe('redemption', () => {
  const code: PromotionCode = { code: 'LAUNCH20', couponId: 'launch20', maxRedemptions: 2, redeemed: 0, expiresOn: '2026-06-30', firstTimeOnly: true };
  const base = { code, coupon: launch20, today: '2026-05-20', plan: 'basic' as const, hasPaidInvoice: false, holdsCoupon: false };

  test('codes are case-insensitive', () => {
    expect(normalizeCode('  launch20 ')).toBe('LAUNCH20');
  });

  test.each([
    ['expired (the day after its expiry)', { today: '2026-07-01' }, 'code_expired'],
    ['used up', { code: { ...code, redeemed: 2 } }, 'code_used_up'],
    ['for another plan', { coupon: { ...launch20, plans: ['professional' as const] } }, 'code_not_for_plan'],
    ['first-time only on a team that has paid', { hasPaidInvoice: true }, 'code_first_time_only'],
    ['a second coupon', { holdsCoupon: true }, 'coupon_already_held'],
  ])('refused when %s, naming the reason', (_name, change, reason) => {
    expect(checkRedemption({ ...base, ...change })).toMatchObject({ ok: false, reason, message: expect.stringMatching(/LAUNCH20|already holds/) });
  });

  test('accepted on its expiry day, on Free for a plan-limited coupon, and with uses left', () => {
    expect(checkRedemption({ ...base, today: '2026-06-30', code: { ...code, redeemed: 1 } })).toEqual({ ok: true });
    expect(checkRedemption({ ...base, plan: 'free', coupon: { ...launch20, plans: ['professional'] } })).toEqual({ ok: true });
  });

  test.each([
    [{ percentOff: 0 }, 'percentOff'],
    [{ percentOff: 101 }, 'percentOff'],
    [{ percentOff: 20, amountOff: 100 }, 'percentOff'],
    [{ percentOff: null, amountOff: 0 }, 'amountOff'],
    [{ months: null }, 'months'],
    [{ duration: 'forever' as const }, 'months'],
  ])('a coupon %j is refused naming %s', (change, field) => {
    expect(checkCoupon({ ...launch20, ...change })).toMatchObject({ ok: false, field });
  });
});
