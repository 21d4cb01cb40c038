// Dunning, refunds, roles, invitations and manual invoicing.
import {
  EU_AND_UK_COUNTRIES,
  PERMISSIONS,
  afterFailedAttempt,
  can,
  checkInvitation,
  countsAsMember,
  dunningSchedule,
  manualInvoicingEligibility,
  receivesBillingNotices,
  refundEligibility,
  type BillingAction,
  type Role,
} from '../../../src/domain';

describe('dunning: retries 1, 3, 5, 7 days after the first failure', () => {
  test('schedule', () => {
    expect(dunningSchedule('2026-12-28')).toEqual(['2026-12-29', '2026-12-31', '2027-01-02', '2027-01-04']);
  });
  test.each([
    [0, { next: 'retry', on: '2026-06-21' }],
    [1, { next: 'retry', on: '2026-06-23' }],
    [2, { next: 'retry', on: '2026-06-25' }],
    [3, { next: 'retry', on: '2026-06-27' }],
    [4, { next: 'downgrade_to_free', on: '2026-06-27' }],
  ])('after %i failed retries', (failed, expected) => {
    expect(afterFailedAttempt('2026-06-20', failed)).toEqual(expected);
  });
});

describe('refund window: 72 hours, or 14 days in the EU and the UK', () => {
  const paidAt = '2026-05-20T10:00:00Z';
  test.each([
    ['US', '2026-05-23T10:00:00Z', true],
    ['US', '2026-05-23T10:00:00.001Z', false],
    [null, '2026-05-22T00:00:00Z', true],
    ['DE', '2026-06-03T10:00:00Z', true],
    ['de', '2026-06-03T10:00:01Z', false],
    ['GB', '2026-06-01T00:00:00Z', true],
    ['UK', '2026-06-01T00:00:00Z', true],
    ['EL', '2026-06-01T00:00:00Z', true],
    ['CH', '2026-06-01T00:00:00Z', false], // not in the EU
    ['NO', '2026-05-22T00:00:00Z', true],
  ])('%p at %s: eligible %p', (country, now, eligible) => {
    expect(refundEligibility({ paidAt, now, billingCountry: country }).eligible).toBe(eligible);
  });
  test('deadline and reason', () => {
    expect(refundEligibility({ paidAt, now: '2026-05-21', billingCountry: 'FR' })).toEqual({ eligible: true, deadline: '2026-06-03T10:00:00Z', windowHours: 336 });
    expect(refundEligibility({ paidAt, now: '2026-05-24', billingCountry: 'US' })).toMatchObject({ eligible: false, deadline: '2026-05-23T10:00:00Z' });
  });
  test('27 EU member states and the UK', () => {
    expect(EU_AND_UK_COUNTRIES).toHaveLength(28);
    expect(new Set(EU_AND_UK_COUNTRIES).size).toBe(28);
  });
});

describe('roles matrix (section 11)', () => {
  const table: [BillingAction, Record<'admin' | 'billing_manager' | 'member' | 'visitor', boolean>][] = [
    ['view_billing', { admin: true, billing_manager: true, member: false, visitor: false }],
    ['change_plan', { admin: true, billing_manager: true, member: false, visitor: false }],
    ['manage_payment_methods', { admin: true, billing_manager: true, member: false, visitor: false }],
    ['request_invoice', { admin: true, billing_manager: true, member: false, visitor: false }],
    ['manage_billing_managers', { admin: true, billing_manager: true, member: false, visitor: false }],
    ['view_team', { admin: true, billing_manager: false, member: true, visitor: true }],
    ['contribute_credits', { admin: true, billing_manager: true, member: true, visitor: true }],
  ];
  test.each(table)('%s', (action, expected) => {
    for (const role of ['owner', 'admin', 'billing_manager', 'member', 'visitor'] as Role[]) {
      const want = role === 'owner' ? expected.admin : expected[role];
      expect(can([role], action)).toBe(want);
    }
  });
  test('the matrix covers every action', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual(table.map(([a]) => a).sort());
  });
  test('member and billing manager at once: the union of rights', () => {
    expect(can(['member', 'billing_manager'], 'view_team')).toBe(true);
    expect(can(['member', 'billing_manager'], 'change_plan')).toBe(true);
    expect(can([], 'contribute_credits')).toBe(false);
  });
  test('who counts as a member and who is notified', () => {
    expect(countsAsMember(['visitor'])).toBe(true);
    expect(countsAsMember(['billing_manager'])).toBe(false);
    expect(countsAsMember(['billing_manager', 'member'])).toBe(true);
    expect(receivesBillingNotices(['billing_manager'])).toBe(true);
    expect(receivesBillingNotices(['member'])).toBe(false);
  });
});

describe('invitations: one email, 7 days', () => {
  const sentAt = '2026-05-01T12:00:00Z';
  test.each([
    ['right email within 7 days', 'a@x.io', '2026-05-08T11:59:59Z', { ok: true }],
    ['email compared case-insensitively', 'A@X.io', '2026-05-02', { ok: true }],
    ['another account', 'b@x.io', '2026-05-02', { ok: false, error: 'invalid_invitation', message: 'invalid invitation' }],
    ['not signed in', null, '2026-05-02', { ok: false, error: 'invalid_invitation', message: 'invalid invitation' }],
    ['after 7 days', 'a@x.io', '2026-05-08T12:00:00Z', { ok: false, error: 'invitation_expired', message: 'This invitation has expired.' }],
  ])('%s', (_name, accountEmail, now, expected) => {
    expect(checkInvitation({ email: 'a@x.io', sentAt, now, accountEmail })).toEqual(expected);
  });
});

describe('manual invoicing: ≥ $1,000 of credit purchases in each of the last 3 full months', () => {
  const buys = (entries: [string, number][]) => entries.map(([at, amount]) => ({ at, amount }));
  test.each([
    ['eligible', buys([['2026-02-03', 100_000], ['2026-03-31T23:59:59Z', 60_000], ['2026-03-01', 40_000], ['2026-04-15', 250_000]]), true, null],
    ['one month short', buys([['2026-02-03', 100_000], ['2026-03-10', 99_999], ['2026-04-15', 250_000]]), false, 'credit purchases were below $1,000 in 2026-03'],
    ['the current month does not count', buys([['2026-03-03', 100_000], ['2026-04-10', 100_000], ['2026-05-01', 500_000]]), false, 'credit purchases were below $1,000 in 2026-02'],
    ['no purchases', [], false, 'credit purchases were below $1,000 in 2026-02, 2026-03, 2026-04'],
  ])('%s', (_name, purchases, eligible, reason) => {
    const r = manualInvoicingEligibility(purchases, '2026-05-20');
    expect(r.eligible).toBe(eligible);
    expect(r.reason).toBe(reason);
    expect(r.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
  });
  test('months across a year boundary', () => {
    expect(manualInvoicingEligibility([], '2026-02-01').months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01']);
  });
});
