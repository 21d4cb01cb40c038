// Section 14 in the ledger: the seeded catalog, price versions, and promotion codes whose maximum holds when two
// teams redeem the last use at the same moment (real Postgres, two connections).
import { createCoupon, createPromotionCode, priceVersions, publishPrice, redeemPromotionCode, PricingRefused } from '../../src/ledger/pricing';
import { createTestDatabase, type TestDatabase } from '../support/database';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
  await testDb.db('teams').insert(['a', 'b', 'c', 'paid'].map((id) => ({ id: `team-${id}`, name: id })));
  await createCoupon(testDb.db, { id: 'launch20', percentOff: 20, amountOff: null, duration: 'repeating', months: 3, plans: null });
}, 60_000);
afterAll(() => testDb.drop());

const redeem = (teamId: string, code: string, today = '2026-05-20', key = `${teamId}:${code}:1`) =>
  redeemPromotionCode(testDb.db, { key, teamId, code, today, plan: 'basic', holdsCoupon: false });

async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof PricingRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { reason: error.reason, message: error.message };
}

test("the catalog is seeded with today's prices as version 1", async () => {
  expect((await priceVersions(testDb.db)).map((v) => [v.plan, v.interval, v.version, v.amount])).toEqual([
    ['basic', 'month', 1, 1200], ['basic', 'year', 1, 10800], ['professional', 'month', 1, 2400], ['professional', 'year', 1, 21600],
  ]);
});

test('a published price is the next version; publishing it again returns it; two at once take two numbers', async () => {
  const p1 = { plan: 'basic' as const, interval: 'month' as const, amount: 1500, publishedOn: '2026-06-01', grandfathered: false };
  expect(await publishPrice(testDb.db, p1)).toMatchObject({ created: true, version: { version: 2, amount: 1500 } });
  expect(await publishPrice(testDb.db, p1)).toMatchObject({ created: false, version: { version: 2 } });
  const both = await Promise.all([1600, 1700].map((amount) => publishPrice(testDb.db, { ...p1, plan: 'professional', amount })));
  expect(both.map((r) => r.version.version).sort()).toEqual([2, 3]);
});

test('two teams redeeming the last use of a code at once: one wins, the other is refused as used up', async () => {
  await createPromotionCode(testDb.db, { code: 'last1', couponId: 'launch20', maxRedemptions: 1, expiresOn: null, firstTimeOnly: false });
  const results = await Promise.allSettled([redeem('team-a', 'LAST1'), redeem('team-b', 'last1')]);
  expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(PricingRefused);
  expect(refused.reason).toMatchObject({ reason: 'code_used_up', field: 'code', message: expect.stringContaining('LAST1') });
  const won = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<unknown>;
  expect(won.value).toMatchObject({ code: 'LAST1', redeemedOn: '2026-05-20', coupon: { id: 'launch20', percentOff: 20 } });
  expect(await testDb.db('promotion_codes').where({ code: 'LAST1' }).first('redeemed')).toEqual({ redeemed: 1 });
  expect(await testDb.db('coupon_redemptions').where({ code: 'LAST1' }).count('* as n').first()).toEqual({ n: 1 });
});

test('a retried redemption (same key) is the same redemption, counted once', async () => {
  await createPromotionCode(testDb.db, { code: 'TWICE', couponId: 'launch20', maxRedemptions: 2, expiresOn: null, firstTimeOnly: false });
  await redeem('team-c', 'TWICE', '2026-05-20', 'retry-key');
  await redeem('team-c', 'TWICE', '2026-05-20', 'retry-key');
  expect(await testDb.db('promotion_codes').where({ code: 'TWICE' }).first('redeemed')).toEqual({ redeemed: 1 });
});

test('refusals name their reason and change nothing', async () => {
  await createPromotionCode(testDb.db, { code: 'OLD', couponId: 'launch20', maxRedemptions: null, expiresOn: '2026-05-19', firstTimeOnly: false });
  await createPromotionCode(testDb.db, { code: 'NEWBIE', couponId: 'launch20', maxRedemptions: null, expiresOn: null, firstTimeOnly: true });
  await testDb.db('invoices').insert({
    id: 'inv-paid', team_id: 'team-paid', idempotency_key: 'team-paid:2026-04-20:subscribe', number: 'INV-2026-000001', reason: 'subscribe',
    status: 'paid', issued_on: '2026-04-20', total: 1200, balance_applied: 0, credits_applied: 0, charged: 1200,
  });
  expect(await refusal(redeem('team-c', 'OLD'))).toEqual({ reason: 'code_expired', message: 'The code OLD expired on 2026-05-19.' });
  expect(await refusal(redeem('team-paid', 'newbie'))).toMatchObject({ reason: 'code_first_time_only' });
  expect(await refusal(redeem('team-c', 'NOPE'))).toMatchObject({ reason: 'code_unknown' });
  expect(await testDb.db('coupon_redemptions').whereIn('code', ['OLD', 'NEWBIE']).count('* as n').first()).toEqual({ n: 0 });
  await expect(createCoupon(testDb.db, { id: 'launch20', percentOff: 30, amountOff: null, duration: 'forever', months: null, plans: null }))
    .rejects.toMatchObject({ reason: 'coupon_exists' });
});

test('the database itself refuses a code redeemed past its maximum', async () => {
  await expect(testDb.db('promotion_codes').where({ code: 'LAST1' }).increment('redeemed', 1)).rejects.toThrow(/promotion_codes_valid/);
});
