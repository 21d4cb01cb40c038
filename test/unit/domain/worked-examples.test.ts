// Every worked example of docs billing-rules.md, with its exact figures.
import {
  acquireCredits,
  applyPayment,
  memberChangeLines,
  memberReviewInvoice,
  payInvoice,
  planChange,
  renewalInvoice,
  seatAdditionInvoice,
  seatOrderPeriod,
  trialEndInvoice,
  type Period,
} from '../../../src/domain';

const mayToJune: Period = { start: '2026-05-20', end: '2026-06-20' };
const term: Period = { start: '2026-05-20', end: '2027-05-20' };

type Figures = Record<string, number | string | null>;

const examples: [string, () => Figures, Figures][] = [
  [
    'T1 trial of basic monthly from 2026-05-06, 10 members, 3000 credits',
    () => {
      const { invoice, period } = trialEndInvoice({ plan: 'basic', interval: 'month', members: 10, trialStart: '2026-05-06' });
      const credits = acquireCredits('referral-1', 3000, '2026-05-06').grant;
      const paid = payInvoice(invoice, { balance: 0, grants: [credits], now: invoice.on }).invoice;
      return { on: paid.on, total: paid.total, creditsApplied: paid.creditsApplied, charged: paid.charged, nextRenewal: period.end };
    },
    { on: '2026-05-20', total: 12000, creditsApplied: 3000, charged: 9000, nextRenewal: '2026-06-20' },
  ],
  [
    'M1 basic monthly, one member added 2026-05-25',
    () => {
      const r = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period: mayToJune }, members: 11, anchorDay: 20, memberChanges: [{ on: '2026-05-25', delta: 1 }] });
      return { on: r.invoice.on, renewal: r.invoice.lines[0]?.amount ?? null, added: r.invoice.lines[1]?.amount ?? null, total: r.invoice.total };
    },
    { on: '2026-06-20', renewal: 13200, added: 1006, total: 14206 },
  ],
  [
    'M2 basic monthly, one member removed 2026-05-25',
    () => {
      const r = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period: mayToJune }, members: 9, anchorDay: 20, memberChanges: [{ on: '2026-05-25', delta: -1 }] });
      const paid = payInvoice(r.invoice, { balance: r.refundTotal, grants: [], now: r.invoice.on }).invoice;
      return { refund: r.refundTotal, total: paid.total, balanceApplied: paid.balanceApplied, charged: paid.charged };
    },
    { refund: 1006, total: 10800, balanceApplied: 1006, charged: 9794 },
  ],
  [
    'A1 basic annual, one member added 2026-05-25, reviewed 2026-06-20',
    () => {
      const r = memberReviewInvoice({ on: '2026-06-20', plan: 'basic', term, memberChanges: [{ on: '2026-05-25', delta: 1 }] });
      return { on: r.invoice?.on ?? null, total: r.invoice?.total ?? null, description: r.invoice?.lines[0]?.description ?? null };
    },
    { on: '2026-06-20', total: 10652, description: 'Basic, 1 member added May 25, 360/365 days' },
  ],
  [
    'A2 basic annual, one member removed 2026-05-25: refund to balance, used first by the next payment',
    () => {
      const r = memberReviewInvoice({ on: '2026-06-20', plan: 'basic', term, memberChanges: [{ on: '2026-05-25', delta: -1 }] });
      const renewal = renewalInvoice({ closing: { plan: 'basic', interval: 'year', period: term }, members: 9, anchorDay: 20 });
      const paid = applyPayment({ total: renewal.invoice.total, balance: r.refundTotal, grants: [], now: renewal.invoice.on });
      return { invoice: r.invoice === null ? null : r.invoice.total, refund: r.refundTotal, next: paid.total, balanceApplied: paid.balanceApplied, charged: paid.charged };
    },
    { invoice: null, refund: 10652, next: 97200, balanceApplied: 10652, charged: 86548 },
  ],
  [
    'U1 basic monthly → professional on 2026-05-25',
    () => {
      const c = planChange({ current: { plan: 'basic', interval: 'month', period: mayToJune, members: 10 }, to: { plan: 'professional' }, today: '2026-05-25' });
      if (c.timing !== 'immediate') throw new Error(c.timing);
      const next = renewalInvoice({ closing: { plan: c.plan, interval: c.interval, period: c.period }, members: 10, anchorDay: c.anchorDay });
      return {
        newPeriod: c.invoice.lines[0]?.amount ?? null, unused: c.invoice.lines[1]?.amount ?? null, total: c.invoice.total,
        start: c.period.start, end: c.period.end, nextOn: next.invoice.on, nextCharge: next.invoice.total,
      };
    },
    { newPeriod: 24000, unused: -10065, total: 13935, start: '2026-05-25', end: '2026-06-25', nextOn: '2026-06-25', nextCharge: 24000 },
  ],
  [
    'U2 basic annual → professional annual on 2026-05-25',
    () => {
      const c = planChange({ current: { plan: 'basic', interval: 'year', period: term, members: 10 }, to: { plan: 'professional' }, today: '2026-05-25' });
      if (c.timing !== 'immediate') throw new Error(c.timing);
      return { newTerm: c.invoice.lines[0]?.amount ?? null, unused: c.invoice.lines[1]?.amount ?? null, total: c.invoice.total, start: c.period.start };
    },
    { newTerm: 216000, unused: -106521, total: 109479, start: '2026-05-25' },
  ],
  [
    'S1 basic monthly → annual on 2026-05-25',
    () => {
      const c = planChange({ current: { plan: 'basic', interval: 'month', period: mayToJune, members: 10 }, to: { interval: 'year' }, today: '2026-05-25' });
      if (c.timing !== 'immediate') throw new Error(c.timing);
      return { newTerm: c.invoice.lines[0]?.amount ?? null, unused: c.invoice.lines[1]?.amount ?? null, total: c.invoice.total, start: c.period.start, end: c.period.end };
    },
    { newTerm: 108000, unused: -10065, total: 97935, start: '2026-05-25', end: '2027-05-25' },
  ],
  [
    'S2 basic annual → monthly requested 2026-08-01: nothing now, monthly from 2027-05-20',
    () => {
      const c = planChange({ current: { plan: 'basic', interval: 'year', period: term, members: 10 }, to: { interval: 'month' }, today: '2026-08-01' });
      if (c.timing !== 'deferred') throw new Error(c.timing);
      const r = renewalInvoice({ closing: { plan: 'basic', interval: 'year', period: term }, next: { plan: 'basic', interval: 'month' }, members: 10, anchorDay: 20 });
      return { timing: c.timing, effectiveOn: c.pending.effectiveOn, on: r.invoice.on, total: r.invoice.total, end: r.period.end };
    },
    { timing: 'deferred', effectiveOn: '2027-05-20', on: '2027-05-20', total: 12000, end: '2027-06-20' },
  ],
  [
    'D1 professional monthly → basic on the 25th: nothing now, basic at the next renewal',
    () => {
      const c = planChange({ current: { plan: 'professional', interval: 'month', period: mayToJune, members: 10 }, to: { plan: 'basic' }, today: '2026-05-25' });
      if (c.timing !== 'deferred') throw new Error(c.timing);
      const r = renewalInvoice({ closing: { plan: 'professional', interval: 'month', period: mayToJune }, next: { plan: 'basic', interval: 'month' }, members: 10, anchorDay: 20 });
      return { timing: c.timing, pendingPlan: c.pending.plan, effectiveOn: c.pending.effectiveOn, total: r.invoice.total };
    },
    { timing: 'deferred', pendingPlan: 'basic', effectiveOn: '2026-06-20', total: 12000 },
  ],
  [
    'O1 basic seat order 2026-01-01, 3 seats added 2026-07-02',
    () => {
      const order = seatOrderPeriod('2026-01-01');
      const invoice = seatAdditionInvoice({ plan: 'basic', added: 3, today: '2026-07-02', order });
      return { end: order.end, total: invoice.total, description: invoice.lines[0]?.description ?? null };
    },
    { end: '2027-01-01', total: 16244, description: 'Basic, 3 seats added Jul 2, 183/365 days' },
  ],
];

describe('worked examples of billing-rules.md', () => {
  test.each(examples)('%s', (_name, run, expected) => {
    expect(run()).toEqual(expected);
  });

  test('M1 line figures: 1200 × 26/31 = 1006 as one member-change line', () => {
    const r = memberChangeLines({ plan: 'basic', interval: 'month', period: mayToJune, changes: [{ on: '2026-05-25', delta: 1 }] });
    expect(r.charges).toEqual([{ kind: 'members_added', description: 'Basic, 1 member added May 25, 26/31 days', amount: 1006 }]);
  });

  test('tier down and monthly → annual at once: a new basic annual term today', () => {
    const c = planChange({ current: { plan: 'professional', interval: 'month', period: mayToJune, members: 10 }, to: { plan: 'basic', interval: 'year' }, today: '2026-05-25' });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.rule).toBe('tier_down_and_monthly_to_annual');
    expect(c.invoice.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Basic, annual, 10 members, May 25, 2026 – May 25, 2027', 108000],
      ['Unused time on Professional, 10 members, May 25 – Jun 20', -20129], // 2400 × 10 × 26/31
    ]);
    expect(c.invoice.total).toBe(87871);
  });

  test('tier up and annual → monthly at once: tier up now on annual, monthly at the new term end', () => {
    const c = planChange({ current: { plan: 'basic', interval: 'year', period: term, members: 10 }, to: { plan: 'professional', interval: 'month' }, today: '2026-05-25' });
    if (c.timing !== 'split') throw new Error(c.timing);
    expect(c.invoice.total).toBe(109479); // as U2
    expect(c.pending).toEqual({ plan: 'professional', interval: 'month', effectiveOn: '2027-05-25' });
  });
});
