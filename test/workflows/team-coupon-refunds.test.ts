// Section 14 on the time-skipping server with the real ledger: a removed member's refund is reduced by the percent off
// of the invoice that billed that period (an amount off does not reduce it), and the credit note of section 13 taxes
// the reduced net. C1's team: Basic monthly, 10 members, subscribed 2026-05-20, one member removed 2026-05-25; section 5
// refunds 1200 × 26/31 = 1006.45 → 1006 at the renewal of 2026-06-20. The upcoming invoice and the API's quote show the
// refund the workflow then credits.
import { quote } from '../../src/api/quotes';
import type { Coupon } from '../../src/domain';
import { createCoupon, createPromotionCode } from '../../src/ledger/pricing';
import { redeemCodeUpdate, removeMembersUpdate, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { patchesTakenBy } from '../support/history-manifest';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

/** A team of 10 on `country` that redeemed `coupon` and subscribed to Basic monthly on 2026-05-20, then lost a member on May 25. */
async function removedMay25(coupon: Omit<Coupon, 'id'> & { id: string }, billingCountry = 'US'): Promise<TeamUnderTest> {
  await createCoupon(harness.db, coupon);
  await createPromotionCode(harness.db, { code: coupon.id.toUpperCase(), couponId: coupon.id, maxRedemptions: null, expiresOn: null, firstTimeOnly: false });
  const team = await harness.startTeam({ start: '2026-05-20', members: 10, billingCountry });
  await team.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: coupon.id }] });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  return team;
}

async function creditNotes(teamId: string): Promise<{ issued_on: string; net: number; tax: number; total: number }[]> {
  return harness.db('credit_notes').where({ team_id: teamId }).orderBy('number').select('issued_on', 'net', 'tax', 'total');
}

test('C1 (20% off): the refund 1006 − round(20% × 1006) = 1006 − 201 = 805 goes to the balance; quoted and previewed alike', async () => {
  const team = await removedMay25({ id: 'refund-launch20', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: null });
  const quoted = quote({ ...(await team.state()), today: '2026-05-25' }, { removeMembers: 1 }).members;
  expect([quoted?.refunds.map((line) => [line.kind, line.amount]), quoted?.refundTotal]).toEqual([[['members_removed', 1006], ['discount', -201]], 805]);
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  const upcoming = await team.handle.query(upcomingInvoiceQuery);
  expect(upcoming?.refundsToBalance.map((line) => line.amount)).toEqual([1006, -201]);

  await team.advanceTo('2026-06-20');
  const { invoices, balance } = await team.ledger();
  const june20 = invoices.find((invoice) => invoice.on === '2026-06-20');
  // The renewal: 1200 × 9 = 10800, −round(20% × 10800) = −2160 → 8640; the balance's 805 first, the card 8640 − 805 = 7835.
  expect([june20?.lines.map((line) => line.amount), june20?.total, june20?.balanceApplied, june20?.charged]).toEqual([[10800, -2160], 8640, 805, 7835]);
  expect(june20?.lines.map((line) => line.amount)).toEqual(upcoming?.lines.map((line) => line.amount)); // quotes are bills
  expect(balance).toEqual([{ on: '2026-06-20', amount: 805, reason: 'member_removed' }, { on: '2026-06-20', amount: -805, reason: 'invoice_payment' }]);
  expect(await creditNotes(team.teamId)).toEqual([{ issued_on: '2026-06-20', net: -805, tax: 0, total: -805 }]);
});

test('an amount off (1000 off forever) leaves the refund at 1006, as M2', async () => {
  const team = await removedMay25({ id: 'refund-ten-off', percentOff: null, amountOff: 1000, duration: 'forever', months: null, plans: null });
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  expect((await team.handle.query(upcomingInvoiceQuery))?.refundsToBalance.map((line) => line.amount)).toEqual([1006]);
  await team.advanceTo('2026-06-20');
  const { invoices, balance } = await team.ledger();
  // May 20: 12000 − 1000 = 11000. June 20: 10800 − 1000 = 9800; the balance's 1006 first, the card 9800 − 1006 = 8794.
  expect(invoices.map((invoice) => [invoice.on, invoice.total, invoice.balanceApplied, invoice.charged])).toEqual([['2026-05-20', 11000, 0, 11000], ['2026-06-20', 9800, 1006, 8794]]);
  expect(balance[0]).toEqual({ on: '2026-06-20', amount: 1006, reason: 'member_removed' });
});

test("X3 with C1's coupon (Germany, 19%): credit note −805 net, round(−805 × 0.19) = round(−152.95) = −153 tax, −958 to the balance", async () => {
  const team = await removedMay25({ id: 'refund-launch20-de', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: null }, 'DE');
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');
  const { invoices, balance } = await team.ledger();
  expect(await creditNotes(team.teamId)).toEqual([{ issued_on: '2026-06-20', net: -805, tax: -153, total: -958 }]);
  expect(balance[0]).toEqual({ on: '2026-06-20', amount: 958, reason: 'member_removed' });
  // C3: May 20 9600 + 1824 = 11424. June 20: 10800 − 2160 = 8640, tax round(8640 × 0.19) = round(1641.6) = 1642,
  // total 10282; the balance's 958 first, the card 10282 − 958 = 9324.
  expect(invoices.map((invoice) => [invoice.on, invoice.total, invoice.balanceApplied, invoice.charged])).toEqual([['2026-05-20', 11424, 0, 11424], ['2026-06-20', 10282, 958, 9324]]);
});

test('a 100% off takes the whole refund: nothing is credited, no credit note (patch refund-fully-discounted)', async () => {
  const team = await removedMay25({ id: 'refund-all-off', percentOff: 100, amountOff: null, duration: 'forever', months: null, plans: null });
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  expect((await team.handle.query(upcomingInvoiceQuery))?.refundsToBalance.map((line) => line.amount)).toEqual([1006, -1006]);
  await team.advanceTo('2026-06-21');
  const { invoices, balance } = await team.ledger();
  expect(invoices.map((invoice) => [invoice.on, invoice.lines.map((line) => line.amount), invoice.total])).toEqual([
    ['2026-05-20', [12000, -12000], 0], ['2026-06-20', [10800, -10800], 0],
  ]);
  expect([balance, await creditNotes(team.teamId)]).toEqual([[], []]);
  // The team took the patch at its first run's start (src/workflows/team/run-patches.ts); the second run (from the
  // period of May 20) removes the member and renews under it: no balance credit.
  const [first, second] = await team.runs();
  expect(patchesTakenBy(first!.history)).toContain('refund-fully-discounted');
  const { history } = second!;
  expect(history.events?.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).not.toContain('creditTeamBalance');
  await team.recordHistory('coupon-refund-fully-discounted', 1);
});
