// Section 14 as activities: the team workflow redeems a promotion code, and reads the catalog's price versions at
// the points where a price is fixed. A refused redemption fails for good, its `type` RedemptionRefused and its
// reason (code_used_up, code_expired, …) in the details, so the workflow's update fails naming it.
import { ApplicationFailure } from '@temporalio/common';
import type { HeldCoupon } from '../domain/coupons';
import type { PriceVersion } from '../domain/price-versions';
import { priceVersions, PricingRefused, redeemPromotionCode, type RedeemInput } from '../ledger/pricing';
import { relayFromActivity } from './relay';
import type { BillingDependencies } from './dependencies';

export type RedeemPromotionCodeInput = RedeemInput;

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

    /** Every version of one price, oldest first: the workflow picks the one a renewal or a new period takes. */
    async catalogPriceVersions(input: Pick<PriceVersion, 'plan' | 'interval'>): Promise<PriceVersion[]> {
      return priceVersions(db, { plan: input.plan, interval: input.interval });
    },
  };
}
