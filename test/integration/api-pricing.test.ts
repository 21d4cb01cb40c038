// Section 14 through the REST API on a real worker, the dev server and Postgres: the platform creates coupons and
// codes and publishes prices; the team's owner redeems a code and the upcoming invoice shows the discount line;
// refusals are problems naming the field or the reason.
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;
let owner: { id: string; token: string };

beforeAll(async () => {
  api = await ApiHarness.start();
  owner = await api.createUser('owner');
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

/** The field a problem names (its first error's). */
const fieldOf = (body: { errors?: { field?: string }[] }) => body.errors?.[0]?.field;

test('the platform creates a coupon and its code; the owner redeems it and the upcoming invoice carries the discount', async () => {
  const as = api.withToken(owner.token);
  await api.call(api.platform(), 'post', '/v1/coupons', { id: 'api-launch20', percentOff: 20, duration: 'repeating', months: 3 }).expect(201);
  await api.call(api.platform(), 'post', '/v1/promotion-codes', { code: 'api-launch20', couponId: 'api-launch20', maxRedemptions: 1 }).expect(201);
  await api.call(as, 'post', '/v1/coupons', { id: 'mine', percentOff: 100, duration: 'forever' }).expect(403); // the platform's alone

  const teamId = await api.createTeam(owner.id);
  const redeemed = await api.call(as, 'post', `/v1/teams/${teamId}/coupon`, { code: 'API-launch20' }).expect(201);
  expect(redeemed.body).toMatchObject({ coupon: { code: 'API-LAUNCH20', coupon: { percentOff: 20 } }, endsOn: expect.any(String) });
  // The quote shows the discount, and is the invoice that follows (quotes are bills).
  const quoted = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(quoted.body.planChange.invoice).toMatchObject({ total: 960, lines: [{ kind: 'period', amount: 1200 }, { kind: 'discount', amount: -240 }] });
  const subscribed = await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(subscribed.body).toMatchObject({ total: quoted.body.planChange.invoice.total, lines: quoted.body.planChange.invoice.lines });
  expect((await api.call(as, 'get', `/v1/teams/${teamId}/subscription?live=true`).expect(200)).body).toMatchObject({ coupon: { code: 'API-LAUNCH20' } });
  const upcoming = await api.call(as, 'get', `/v1/teams/${teamId}/upcoming-invoice`).expect(200);
  expect(upcoming.body).toMatchObject({ reason: 'renewal', total: 960 }); // 1200 − round(20% × 1200)
  expect(upcoming.body.lines.map((l: { amount: number }) => l.amount)).toEqual([1200, -240]);

  const other = await api.createTeam(owner.id);
  const usedUp = await api.call(as, 'post', `/v1/teams/${other}/coupon`, { code: 'api-launch20' }).expect(409);
  expect(usedUp.body).toMatchObject({ code: 'code_used_up', detail: expect.stringContaining('API-LAUNCH20') });
  expect((await api.call(as, 'post', `/v1/teams/${other}/coupon`, { code: 'nothing' }).expect(409)).body).toMatchObject({ code: 'code_unknown' });
});

test("a removed member's refund, quoted and upcoming, less the percent off of the invoice that billed the period, taxed on the rest", async () => {
  await api.call(api.platform(), 'post', '/v1/coupons', { id: 'api-refund20', percentOff: 20, duration: 'forever' }).expect(201);
  await api.call(api.platform(), 'post', '/v1/promotion-codes', { code: 'api-refund20', couponId: 'api-refund20' }).expect(201);
  const as = api.withToken(owner.token);
  const alice = await api.createUser('alice-refund20');
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: alice.id, role: 'member' }).expect(201);
  await api.call(as, 'post', `/v1/teams/${teamId}/coupon`, { code: 'api-refund20' }).expect(201);
  const subscribed = await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(subscribed.body).toMatchObject({ net: 1920, tax: 365, total: 2285 }); // 2400 − 480; round(1920 × 0.19) = round(364.8)
  // Removed on the period's first day: 1200 × daysInPeriod ÷ daysInPeriod = 1200, less round(20% × 1200) = 240: 960 net,
  // and the credit note's tax round(960 × 0.19) = round(182.4) = 182.
  const quoted = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { removeMembers: 1 }).expect(200);
  expect(quoted.body.members).toMatchObject({ refundTotal: 960, refundTax: 182 });
  expect(quoted.body.members.refunds.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([['members_removed', 1200], ['discount', -240]]);
  await api.call(as, 'delete', `/v1/teams/${teamId}/members/${alice.id}`).expect(200);
  const upcoming = await api.call(as, 'get', `/v1/teams/${teamId}/upcoming-invoice`).expect(200);
  expect(upcoming.body.refundsToBalance.map((l: { amount: number }) => l.amount)).toEqual([1200, -240]);
  expect(upcoming.body.refundTax).toBe(182);
});

test('bad input is a 4xx naming the field and creates nothing', async () => {
  const both = await api.call(api.platform(), 'post', '/v1/coupons', { id: 'both', percentOff: 10, amountOff: 100, duration: 'once' }).expect(422);
  expect(fieldOf(both.body)).toBe('body.percentOff');
  const noMonths = await api.call(api.platform(), 'post', '/v1/coupons', { id: 'nomonths', percentOff: 10, duration: 'repeating' }).expect(422);
  expect(fieldOf(noMonths.body)).toBe('body.months');
  const range = await api.call(api.platform(), 'post', '/v1/coupons', { id: 'range', percentOff: 101, duration: 'once' }).expect(400);
  expect(fieldOf(range.body)).toMatch(/percentOff/);
  const unknown = await api.call(api.platform(), 'post', '/v1/promotion-codes', { code: 'X1', couponId: 'none' }).expect(409);
  expect(unknown.body).toMatchObject({ code: 'coupon_unknown' });
  expect(fieldOf(unknown.body)).toBe('body.couponId');
  await api.call(api.platform(), 'post', '/v1/coupons', { id: 'taken', percentOff: 10, duration: 'once' }).expect(201);
  expect((await api.call(api.platform(), 'post', '/v1/coupons', { id: 'taken', percentOff: 15, duration: 'once' }).expect(409)).body).toMatchObject({ code: 'coupon_exists' });
  const prices = await api.call(api.platform(), 'post', '/v1/prices', { plan: 'enterprise', interval: 'month', amount: 100 }).expect(400);
  expect(fieldOf(prices.body)).toMatch(/plan/);
  expect(await api.db('coupons').whereIn('id', ['both', 'nomonths', 'range'])).toEqual([]);
});

test('a published price is told by a fan-out workflow to the running teams on that plan and interval, each with its notice', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'professional', interval: 'year' }).expect(200);
  await api.eventually(async () => ((await api.db('subscription_views').where({ team_id: teamId }).first()) as { view?: { plan?: string } } | undefined)?.view?.plan === 'professional' || undefined);
  // A team the read model still shows on the price whose workflow is gone: counted as not reached, the rest go on.
  await api.db('teams').insert({ id: 'gone-team', name: 'gone', billing_country: 'US' });
  await api.db('subscription_views').insert({ team_id: 'gone-team', version: 1, published_at: new Date(), view: JSON.stringify({ plan: 'professional', interval: 'year' }) });

  const body = { plan: 'professional', interval: 'year', amount: 24000 };
  const published = await api.call(api.platform(), 'post', '/v1/prices', body).expect(202);
  expect(published.body).toEqual({ version: expect.objectContaining({ plan: 'professional', interval: 'year', version: 2, amount: 24000 }), fanOutWorkflowId: 'price-publication:professional-year:v2' });
  const fanOut = api.temporal.workflow.getHandle(published.body.fanOutWorkflowId as string);
  expect(await fanOut.result()).toEqual({ told: 1, notReached: 1 });
  const notice = await api.eventually(async () => (await api.db('notifications').where({ team_id: teamId, kind: 'price_change_notice' }).first()) as { payload: Record<string, unknown> } | undefined);
  expect(notice.payload).toMatchObject({ from: 21600, to: 24000, version: 2 });

  // The same publication again (a retried request): the same version, the same fan-out, no second notice.
  const again = await api.call(api.platform(), 'post', '/v1/prices', body).expect(202);
  expect(again.body.fanOutWorkflowId).toBe(published.body.fanOutWorkflowId);
  expect((await fanOut.describe()).runId).toBe((await api.temporal.workflow.getHandle(again.body.fanOutWorkflowId as string).describe()).runId);
  expect(await api.db('notifications').where({ team_id: teamId, kind: 'price_change_notice' })).toHaveLength(1);
});

test('a team subscribing after a publication is quoted and charged the price in force: 1500 × 1 member (its owner) at version 2', async () => {
  const as = api.withToken(owner.token);
  const published = await api.call(api.platform(), 'post', '/v1/prices', { plan: 'basic', interval: 'month', amount: 1500 }).expect(202);
  expect(published.body).toMatchObject({ version: { plan: 'basic', interval: 'month', version: 2, amount: 1500 } });
  const teamId = await api.createTeam(owner.id);
  const quoted = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(quoted.body.planChange.invoice).toMatchObject({ total: 1500, lines: [{ kind: 'period', amount: 1500, priceVersion: 2 }] });
  const subscribed = await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(subscribed.body).toMatchObject({ total: 1500, lines: quoted.body.planChange.invoice.lines });
});

test('a team moving to Basic at its period end is quoted, and previewed, the Basic price in force on that day: 1500 × 1 member at version 2', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'professional', interval: 'month' }).expect(200);
  await api.call(api.platform(), 'post', '/v1/prices', { plan: 'basic', interval: 'month', amount: 1500 }).expect(202); // version 2, as above
  const quoted = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'basic' }).expect(200);
  expect(quoted.body.planChange).toMatchObject({ timing: 'deferred', invoice: null, pendingPrice: { version: 2, amount: 1500 } });
  const change = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'basic' }).expect(200);
  expect(change.body).toMatchObject({ timing: 'deferred', pendingChange: quoted.body.planChange.pendingChange });
  const upcoming = await api.call(as, 'get', `/v1/teams/${teamId}/upcoming-invoice`).expect(200);
  expect(upcoming.body).toMatchObject({ on: change.body.pendingChange.effectiveOn, reason: 'renewal', total: 1500, lines: [{ kind: 'period', amount: 1500, priceVersion: 2 }] });
});
