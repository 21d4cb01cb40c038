// Section 14: a removed member's refund is reduced by the percent off of the invoice that billed that period (an amount
// off does not reduce it), then section 13's credit note taxes the reduced net. C1's team: Basic monthly, 10 members,
// subscribed 2026-05-20 with LAUNCH20 (20% off, repeating 3 months); one member removed 2026-05-25.
import {
  discountInvoice,
  memberChangeLines,
  percentOffCarried,
  percentOffOnPeriodStart,
  planChange,
  prorate,
  renewalInvoice,
  subscribeInvoice,
  taxLines,
  type Coupon,
  type HeldCoupon,
} from '../../../src/domain';

const launch20: Coupon = { id: 'launch20', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: null };
const tenOff: Coupon = { id: 'ten-off', percentOff: null, amountOff: 1000, duration: 'forever', months: null, plans: null };
const held = (coupon: Coupon, redeemedOn = '2026-05-20'): HeldCoupon => ({ coupon, code: coupon.id.toUpperCase(), redeemedOn, usedOn: null });

const first = subscribeInvoice({ plan: 'basic', interval: 'month', members: 10, today: '2026-05-20' });
const period = first.period; // 2026-05-20 → 2026-06-20, 31 days
const removedMay25 = [{ on: '2026-05-25', delta: -1 }];
/** Section 5 (M2): 1200 × daysFrom(May 25, June 20) ÷ 31 = 1200 × 26/31 = 1006.45 → 1006. */
const plainRefund = prorate(1200, 1, 26, 31);

function renewal(coupon: HeldCoupon) {
  const paidMay20 = discountInvoice(first.invoice, coupon, 'basic').invoice;
  const refundDiscount = percentOffCarried(paidMay20, coupon);
  return renewalInvoice({ closing: { plan: 'basic', interval: 'month', period }, members: 9, anchorDay: 20, memberChanges: removedMay25, refundDiscount });
}

describe("a removed member's refund and the coupon of the invoice that billed the period", () => {
  test('C1 (20% off): the refund 1006 less round(20% × 1006) = round(201.2) = 201 is 805; the renewal itself is discounted as before', () => {
    expect(plainRefund).toBe(1006);
    const june20 = renewal(held(launch20));
    expect(june20.refunds.map((line) => [line.kind, line.amount])).toEqual([['members_removed', 1006], ['discount', -201]]);
    expect(june20.refunds[1]?.description).toBe('Discount LAUNCH20, 20% off, as on the invoice that billed the period');
    expect(june20.refundTotal).toBe(805); // 1006 − 201
    // The renewal: 1200 × 9 = 10800, −round(20% × 10800) = −2160 → 8640; the balance's 805 first, the card 8640 − 805 = 7835.
    const charged = discountInvoice(june20.invoice, held(launch20), 'basic').invoice;
    expect([charged.lines.map((line) => line.amount), charged.total, charged.total - june20.refundTotal]).toEqual([[10800, -2160], 8640, 7835]);
  });

  test('an amount off (1000 off forever) does not reduce it: the refund is 1006, as M2', () => {
    const june20 = renewal(held(tenOff));
    expect(percentOffCarried(discountInvoice(first.invoice, held(tenOff), 'basic').invoice, held(tenOff))).toBeNull();
    expect([june20.refunds.map((line) => line.amount), june20.refundTotal]).toEqual([[1006], 1006]);
  });

  test("X3 with C1's coupon (Germany, 19%): the credit note taxes the reduced net, −805 and round(−805 × 0.19) = round(−152.95) = −153", () => {
    const june20 = renewal(held(launch20));
    expect(taxLines([-june20.refundTotal], { basisPoints: 1900 })).toEqual({ net: -805, tax: -153, total: -958 });
  });

  test('rounded once on the sum of the refund lines, as an invoice discount is: not 201 + 139 per line but 341', () => {
    const changes = [...removedMay25, { on: '2026-06-02', delta: -1 }]; // 1200 × 18/31 = 696.77 → 697
    const lines = memberChangeLines({ plan: 'basic', interval: 'month', period, changes, refundDiscount: { code: 'LAUNCH20', percentOff: 20 } });
    expect(lines.refunds.map((line) => line.amount)).toEqual([1006, 697, -341]); // −round(0.2 × 1703) = −round(340.6)
    expect(lines.refundTotal).toBe(1362); // 1703 − 341
  });

  test('a 100% off takes the whole refund; an immediate plan change reduces the unbilled removals it settles the same way', () => {
    const all = memberChangeLines({ plan: 'basic', interval: 'month', period, changes: removedMay25, refundDiscount: { code: 'FREE', percentOff: 100 } });
    expect([all.refunds.map((line) => line.amount), all.refundTotal]).toEqual([[1006, -1006], 0]);
    const upgrade = planChange({
      current: { plan: 'basic', interval: 'month', period, members: 9 }, to: { plan: 'professional' }, today: '2026-06-01',
      unbilledMemberChanges: removedMay25, refundDiscount: { code: 'LAUNCH20', percentOff: 20 },
    });
    expect(upgrade.timing === 'immediate' && [upgrade.memberRefunds.map((line) => line.amount), upgrade.memberRefundTotal]).toEqual([[1006, -201], 805]);
  });

  test("the invoice that billed the period decides, not the coupon held at the refund: a once coupon used then, one redeemed after", () => {
    const used: HeldCoupon = { coupon: { ...launch20, duration: 'once', months: null }, code: 'ONCE20', redeemedOn: '2026-05-20', usedOn: '2026-05-20' };
    expect(percentOffOnPeriodStart(used, '2026-05-20', 'basic')).toEqual({ code: 'ONCE20', percentOff: 20 });
    expect(percentOffOnPeriodStart({ ...used, usedOn: null }, '2026-05-20', 'basic')).toBeNull(); // not used on that invoice
    expect(percentOffOnPeriodStart(held(launch20, '2026-05-21'), '2026-05-20', 'basic')).toBeNull(); // redeemed mid-period
    expect(percentOffOnPeriodStart(held(launch20), '2026-08-20', 'basic')).toBeNull(); // the period after its end
    expect(percentOffOnPeriodStart(held(tenOff), '2026-05-20', 'basic')).toBeNull();
    expect(percentOffCarried(first.invoice, held(launch20))).toBeNull(); // no discount line on the invoice
  });
});
