// Section 14 over HTTP: the platform creates coupons and promotion codes and publishes prices; a team's owner,
// admin or billing manager redeems a code (the `change_plan` right of section 11). A publication is recorded in
// the catalog, then told to each running team on that plan and interval by a `pricePublished` signal, sent by a
// fan-out workflow the request starts (src/workflows/price-publication.ts): each team works out its own notice and
// renewal, so nothing at renewal reads the catalog (src/workflows/team/price-changes.ts).
import { Router } from 'express';
import { z } from 'zod';
import { checkCoupon, dayOf, type Coupon } from '../../domain';
import { createCoupon, createPromotionCode, PricingRefused, pricesInForceOn, publishPrice } from '../../ledger/pricing';
import { redeemCodeUpdate } from '../../workflows/team-pricing-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { Id, Interval, Json, Plan, TeamIdParam } from '../schemas';
import type { TeamWorkflows } from '../team-workflows';

const platform = { kind: 'platform' } as const;
const PaidPlan = z.enum(['basic', 'professional']);
const Code = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'is letters, digits, - and _');

const CouponBody = z.strictObject({
  id: Id, percentOff: z.int().min(1).max(100).optional(), amountOff: z.int().min(1).max(1_000_000_000).optional(),
  duration: z.enum(['once', 'repeating', 'forever']), months: z.int().min(1).max(1200).optional(), plans: z.array(PaidPlan).min(1).optional(),
});

const PriceInForce = z.object({
  plan: Plan, interval: Interval, version: z.int(), amount: z.int(), publishedOn: z.iso.date(), grandfathered: z.boolean(),
}).meta({ id: 'PriceInForce' });

function refusedAs409(error: unknown): never {
  if (error instanceof PricingRefused) throw problem(409, error.message, { code: error.reason, field: `body.${error.field}` });
  throw error;
}

export function pricingRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  const tag = 'Pricing';

  operation(router, ctx, {
    method: 'post', path: '/v1/coupons', tag, summary: 'Create a coupon: percent or amount off, once, repeating N months or forever, optionally for some plans',
    access: platform, body: CouponBody, response: Json, status: 201, errors: [409, 422],
  }, async ({ body }) => {
    const coupon: Coupon = {
      id: body.id, percentOff: body.percentOff ?? null, amountOff: body.amountOff ?? null, duration: body.duration, months: body.months ?? null, plans: body.plans ?? null,
    };
    const check = checkCoupon(coupon);
    if (!check.ok) throw problem(422, check.message, { field: `body.${check.field}`, code: 'invalid_coupon' });
    return createCoupon(ctx.db, coupon).catch(refusedAs409);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/promotion-codes', tag, summary: 'Create a promotion code (case-insensitive) for a coupon, with optional max redemptions, expiry and first-time-only',
    access: platform, response: Json, status: 201, errors: [409],
    body: z.strictObject({
      code: Code, couponId: Id, maxRedemptions: z.int().min(1).max(1_000_000).optional(), expiresOn: z.iso.date().optional(), firstTimeOnly: z.boolean().default(false),
    }),
  }, ({ body }) => createPromotionCode(ctx.db, {
    code: body.code, couponId: body.couponId, maxRedemptions: body.maxRedemptions ?? null, expiresOn: body.expiresOn ?? null, firstTimeOnly: body.firstTimeOnly,
  }).catch(refusedAs409));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/coupon', tag, summary: 'Redeem a promotion code; refused naming why (expired, used up, another plan, first-time only, a coupon held)',
    access: { kind: 'team', actions: ['change_plan'] }, params: TeamIdParam, body: z.strictObject({ code: Code }), response: Json, status: 201, errors: [404, 409],
  }, ({ team, body }) => workflows.update(team.teamId, redeemCodeUpdate, { code: body.code }));

  operation(router, ctx, {
    method: 'get', path: '/v1/prices', tag, summary: 'The per-member prices in force today: each plan and interval with its version (what a new subscription takes)',
    access: { kind: 'user' }, response: z.array(PriceInForce),
  }, () => pricesInForceOn(ctx.db, dayOf(new Date().toISOString())));

  operation(router, ctx, {
    method: 'post', path: '/v1/prices', tag,
    summary: 'Publish a new price today: existing subscribers move at their first renewal at least 30 days later (told today), or keep theirs when grandfathered',
    access: platform, response: Json, status: 202,
    body: z.strictObject({ plan: PaidPlan, interval: Interval, amount: z.int().min(0).max(1_000_000_000), grandfather: z.boolean().default(false) }),
  }, async ({ body }) => {
    const publishedOn = dayOf(new Date().toISOString());
    const { version } = await publishPrice(ctx.db, { plan: body.plan, interval: body.interval, amount: body.amount, publishedOn, grandfathered: body.grandfather });
    // Should the start fail (503), the same request again finds the version published and starts the fan-out.
    return { version, fanOutWorkflowId: await workflows.tellTeamsOfPrice(version) };
  });

  return router;
}
