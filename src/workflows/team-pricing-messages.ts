// The team workflow's messages about discounts and prices (billing rules section 14).
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Day, HeldCoupon, PriceVersion } from '../domain';
import type { Answered } from './team-subscription-messages';

export interface RedeemCodeRequest {
  /** A promotion code, case-insensitive. */
  code: string;
}

/** The coupon the team now holds, and until when it discounts (null: once, or forever). */
export interface CouponRedeemed {
  coupon: HeldCoupon;
  endsOn: Day | null;
}

/** Refused, the update fails with the reason as its type: code_unknown, code_expired, code_used_up, code_not_for_plan, code_first_time_only, coupon_already_held. */
export const redeemCodeUpdate = defineUpdate<Answered<CouponRedeemed>, [RedeemCodeRequest]>('redeemCode');

/** A price version was published (fanned out to every running team by the publisher); each team decides what it means for it. */
export const pricePublishedSignal = defineSignal<[PriceVersion]>('pricePublished');
