// Section 14 on the time-skipping server with the real ledger: a team redeems a code, the preview shows the
// discount line, and the invoice that follows equals it; a refused code names why and changes nothing.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createCoupon, createPromotionCode } from '../../src/ledger/pricing';
import { redeemCodeUpdate, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

async function refusedType(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a refused update, got ${String(error)}`);
  return (error.cause as { type?: string } | undefined)?.type;
}

test('C1 through the workflow: 20% off for 3 months, previewed as charged; the fourth renewal is full price', async () => {
  await createCoupon(harness.db, { id: 'wf-launch20', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: ['basic'] });
  await createPromotionCode(harness.db, { code: 'WF-LAUNCH20', couponId: 'wf-launch20', maxRedemptions: null, expiresOn: null, firstTimeOnly: true });
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  expect(await team.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'wf-launch20' }] })).toMatchObject({
    coupon: { code: 'WF-LAUNCH20', redeemedOn: '2026-05-20' }, endsOn: '2026-08-20',
  });
  expect(await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] })).toMatchObject({ total: 9600, status: 'paid' });

  const preview = await team.handle.query(upcomingInvoiceQuery);
  expect(preview).toMatchObject({ on: '2026-06-20', total: 9600 });
  await team.advanceTo('2026-08-20');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.lines.map((l) => [l.kind, l.amount]), i.charged])).toEqual([
    ['2026-05-20', [['period', 12000], ['discount', -2400]], 9600],
    ['2026-06-20', [['period', 12000], ['discount', -2400]], 9600], // before 2026-08-20, the coupon's end
    ['2026-07-20', [['period', 12000], ['discount', -2400]], 9600],
    ['2026-08-20', [['period', 12000]], 12000],
  ]);
  expect(invoices[1]?.lines.map((l) => l.amount)).toEqual(preview?.lines.map((l) => l.amount)); // quotes are bills
  await team.recordHistory('coupon-redeemed-repeating', 0);
});

test('refusals name their reason: used up (the last use taken by another team), first-time only, another plan; nothing changes', async () => {
  await createCoupon(harness.db, { id: 'wf-pro', percentOff: 10, amountOff: null, duration: 'forever', months: null, plans: ['professional'] });
  await createPromotionCode(harness.db, { code: 'WF-ONE', couponId: 'wf-pro', maxRedemptions: 1, expiresOn: null, firstTimeOnly: false });
  await createPromotionCode(harness.db, { code: 'WF-PRO', couponId: 'wf-pro', maxRedemptions: null, expiresOn: null, firstTimeOnly: false });
  await createPromotionCode(harness.db, { code: 'WF-NEW', couponId: 'wf-launch20', maxRedemptions: null, expiresOn: null, firstTimeOnly: true });
  const [first, second] = await Promise.all([harness.startTeam({ start: '2026-05-20', members: 3 }), harness.startTeam({ start: '2026-05-20', members: 3 })]);
  const both = await Promise.allSettled([first, second].map((t) => t.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'WF-ONE' }] })));
  expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  const loser = both[0]?.status === 'rejected' ? first : second;
  expect(await refusedType(loser.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'WF-ONE' }] }))).toBe('code_used_up');

  await loser.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(await refusedType(loser.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'wf-pro' }] }))).toBe('code_not_for_plan');
  expect(await refusedType(loser.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'WF-NEW' }] }))).toBe('code_first_time_only');
  expect(await refusedType(loser.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: 'nope' }] }))).toBe('code_unknown');
  expect(await refusedType(loser.handle.executeUpdate(redeemCodeUpdate, { args: [{ code: '' }] }))).toBe('invalid_code');
  expect((await loser.handle.query(upcomingInvoiceQuery))?.lines.map((l) => l.amount)).toEqual([3600]); // no discount
});
