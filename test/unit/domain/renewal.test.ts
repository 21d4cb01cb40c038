import {
  checkTrialStart,
  memberReviewDays,
  memberReviewInvoice,
  nextMemberReview,
  renewalInvoice,
  renewalReminderDay,
  subscribeInvoice,
  trialEndingNoticeDay,
  trialEndInvoice,
  type Period,
} from '../../../src/domain';

const term: Period = { start: '2026-05-20', end: '2027-05-20' };

describe('trial start', () => {
  test.each([
    [true, false, { ok: true, trialEnd: '2026-05-20' }],
    [false, false, { ok: false, error: 'payment_method_required', message: 'A trial needs a payment method on file.' }],
    [true, true, { ok: false, error: 'trial_already_used', message: 'This team has already had its trial.' }],
  ])('payment method %p, had a trial %p', (hasPaymentMethod, hadTrial, expected) => {
    expect(checkTrialStart({ today: '2026-05-06', hasPaymentMethod, hadTrial })).toEqual(expected);
  });
});

describe('first charge', () => {
  test('subscribing charges the first period today and anchors it', () => {
    const r = subscribeInvoice({ plan: 'professional', interval: 'year', members: 3, today: '2026-01-31' });
    expect(r.invoice).toMatchObject({ on: '2026-01-31', reason: 'subscribe', total: 64800 });
    expect(r.period).toEqual({ start: '2026-01-31', end: '2027-01-31' });
    expect(r.anchorDay).toBe(31);
  });
  test('a trial started on Jan 17 is charged and anchored on Jan 31', () => {
    const r = trialEndInvoice({ plan: 'basic', interval: 'month', members: 2, trialStart: '2026-01-17' });
    expect(r.period).toEqual({ start: '2026-01-31', end: '2026-02-28' });
    expect(r.anchorDay).toBe(31);
    expect(r.invoice.lines).toEqual([
      { kind: 'period', description: 'Basic, monthly, 2 members, Jan 31 – Feb 28', amount: 2400, plan: 'basic', interval: 'month', quantity: 2 },
    ]);
  });
});

describe('renewal', () => {
  test('a clamped period renews on the anchor: Feb 28 → Mar 31', () => {
    const r = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period: { start: '2026-01-31', end: '2026-02-28' } }, members: 1, anchorDay: 31 });
    expect(r.invoice.on).toBe('2026-02-28');
    expect(r.period).toEqual({ start: '2026-02-28', end: '2026-03-31' });
  });
  test('member changes in a 28-day February prorate over 28 days', () => {
    const r = renewalInvoice({
      closing: { plan: 'basic', interval: 'month', period: { start: '2026-01-31', end: '2026-02-28' } },
      members: 2,
      anchorDay: 31,
      memberChanges: [{ on: '2026-02-14', delta: 1 }],
    });
    expect(r.invoice.lines[1]).toEqual({ kind: 'members_added', description: 'Basic, 1 member added Feb 14, 14/28 days', amount: 600 });
  });
  test('refunds and charges of one window are reported together', () => {
    const r = renewalInvoice({
      closing: { plan: 'basic', interval: 'month', period: { start: '2026-05-20', end: '2026-06-20' } },
      members: 10,
      anchorDay: 20,
      memberChanges: [{ on: '2026-05-25', delta: 2 }, { on: '2026-06-10', delta: -2 }],
    });
    expect(r.invoice.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Basic, monthly, 10 members, Jun 20 – Jul 20', 12000],
      ['Basic, 2 members added May 25 and removed Jun 10, 16/31 days', 1239], // 2400 × 16/31 = 1238.7
    ]);
    expect(r.refunds).toEqual([]);
  });
});

describe('monthly member review of annual terms', () => {
  test('review days: the anchor day of each month of the term, clamped', () => {
    expect(memberReviewDays({ start: '2026-01-31', end: '2027-01-31' }, 31)).toEqual([
      '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31',
      '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31',
    ]);
  });
  test.each([
    ['2026-05-20', '2026-06-20'],
    ['2026-05-25', '2026-06-20'],
    ['2026-06-20', '2026-07-20'],
    ['2027-04-20', '2027-05-20'], // the last window ends with the renewal
  ])('after %s the next review is %s', (today, review) => {
    expect(nextMemberReview(term, 'year', 20, today)).toBe(review);
  });
  test('monthly billing reviews at the renewal', () => {
    expect(nextMemberReview({ start: '2026-05-20', end: '2026-06-20' }, 'month', 20, '2026-05-25')).toBe('2026-06-20');
  });
  test('a change on the review day belongs to the next review', () => {
    expect(() => memberReviewInvoice({ on: '2026-06-20', plan: 'basic', term, memberChanges: [{ on: '2026-06-20', delta: 1 }] })).toThrow(RangeError);
  });
  test('the renewal reminder goes out on term end − 30 days', () => {
    expect(renewalReminderDay(term)).toBe('2027-04-20');
    expect(renewalReminderDay({ start: '2027-03-01', end: '2028-03-01' })).toBe('2028-01-31'); // across Feb 29
  });
  test('the trial-ending notice goes out on trial end − 3 days; a trial shorter than 3 days gets none', () => {
    expect(trialEndingNoticeDay({ start: '2026-03-01', end: '2026-03-15' })).toBe('2026-03-12');
    expect(trialEndingNoticeDay({ start: '2028-02-20', end: '2028-03-01' })).toBe('2028-02-27'); // across Feb 29
    expect(trialEndingNoticeDay({ start: '2026-03-01', end: '2026-03-04' })).toBe('2026-03-01'); // 3 days: on the first day
    expect(trialEndingNoticeDay({ start: '2026-03-01', end: '2026-03-03' })).toBeNull();
  });
});
