// A scenario's `coupons` (billing rules section 14): each one coupon and its promotion code, in the run's ledger
// before its first day. The same code with the same terms again (another run on a shared ledger) is the same code.
import type { Db } from '../ledger/db';
import { normalizeCode } from '../domain';
import { createCoupon, createPromotionCode, PricingRefused } from '../ledger/pricing';
import type { ScenarioCoupon, ScenarioProblem } from './scenario';

/** The problems of coupons the ledger refuses (a code taken with other terms); none when all were created. */
export async function createScenarioCoupons(db: Db, coupons: readonly ScenarioCoupon[]): Promise<ScenarioProblem[]> {
  for (const [index, c] of coupons.entries()) {
    const code = normalizeCode(c.code);
    try {
      await createCoupon(db, {
        id: code.toLowerCase(), percentOff: c.percentOff ?? null, amountOff: c.amountOff ?? null, duration: c.duration, months: c.months ?? null, plans: c.plans ?? null,
      });
      await createPromotionCode(db, { code, couponId: code.toLowerCase(), maxRedemptions: c.maxRedemptions ?? null, expiresOn: c.expiresOn ?? null, firstTimeOnly: c.firstTimeOnly ?? false });
    } catch (error) {
      if (!(error instanceof PricingRefused)) throw error;
      return [{ field: `coupons[${index}].code`, message: error.message }];
    }
  }
  return [];
}
