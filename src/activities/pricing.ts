// Section 14 as activities: the team workflow redeems a promotion code, and reads the catalog's price versions at
// the points where a price is fixed. A refused redemption fails for good, its `type` RedemptionRefused and its
// reason (code_used_up, code_expired, …) in the details, so the workflow's update fails naming it.
import { ApplicationFailure } from '@temporalio/common';
import type { HeldCoupon } from '../domain/coupons';
import type { Day } from '../domain/calendar';
import type { PriceVersion } from '../domain/price-versions';
import { priceInForceOn, PricingRefused, redeemPromotionCode, type RedeemInput } from '../ledger/pricing';
import { relayFromActivity } from './relay';
import type { BillingDependencies } from './dependencies';

export type RedeemPromotionCodeInput = RedeemInput;
export type PriceInForceInput = Pick<PriceVersion, 'plan' | 'interval'> & { on: Day };

export function pricingActivities({ db }: BillingDependencies) {
  return {
    async redeemPromotionCode(input: RedeemPromotionCodeInput): Promise<HeldCoupon> {
      try {
        const held = await redeemPromotionCode(db, input);
        await relayFromActivity(db); // its coupon.redeemed webhook
        return held;
      } catch (error) {
        if (!(error instanceof PricingRefused)) throw error;
        throw ApplicationFailure.create({ type: 'RedemptionRefused', message: error.message, nonRetryable: true, details: [{ reason: error.reason, field: error.field }] });
      }
    },

    /** The version of one price in force on `on`: what a team subscribing, trialing or changing plan that day takes. */
    async priceInForce(input: PriceInForceInput): Promise<PriceVersion> {
      return priceInForceOn(db, input.plan, input.interval, input.on);
    },
  };
}
