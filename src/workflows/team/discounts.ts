// Section 14 in the team workflow: the coupon a team holds (redeemed through the ledger, which keeps each code's
// maximum under concurrency) and the discount line it puts on each subscription invoice, charged and previewed alike.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities';
import { couponEndsOn, couponSpent, discountInvoice, type Day, type HeldCoupon, type Invoice, type Plan } from '../../domain';
import type { CouponRedeemed, RedeemCodeRequest } from '../team-pricing-messages';
import type { UpcomingInvoice } from '../team-subscription-messages';
import type { TeamState } from './state';

const pricing = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The plan an invoice bills: its period line's, else the team's (a member review). */
function billedPlan(state: TeamState, invoice: Pick<Invoice, 'lines'>): Plan {
  return invoice.lines.find((line) => line.kind === 'period')?.plan ?? state.plan;
}

/** The invoice as charged: with the held coupon's discount line when it applies, and the coupon after it. */
export function withDiscount(state: TeamState, invoice: Invoice): { invoice: Invoice; coupon: HeldCoupon | null } {
  const result = discountInvoice(invoice, state.coupon ?? null, billedPlan(state, invoice));
  return { invoice: result.invoice, coupon: result.held };
}

/** The preview with the same discount line the invoice will carry (quotes are bills). */
export function previewWithDiscount(state: TeamState, preview: UpcomingInvoice | null): UpcomingInvoice | null {
  if (!preview || !state.coupon) return preview;
  const { invoice } = withDiscount(state, { on: preview.on, reason: preview.reason, lines: preview.lines, total: preview.total });
  return { ...preview, lines: invoice.lines, total: invoice.total };
}

export function checkRedeemCode(request: RedeemCodeRequest): void {
  const code = typeof request?.code === 'string' ? request.code.trim() : '';
  if (code.length < 1 || code.length > 64) {
    throw ApplicationFailure.create({ type: 'invalid_code', message: 'code must be a promotion code of 1 to 64 characters.', nonRetryable: true });
  }
}

/**
 * Redeems a code for the team (`key` names this request): the ledger checks expiry, uses left, plan, first-time
 * and the one-coupon rule, and refuses naming the reason, which the update fails with as its type.
 */
export async function redeemCode(state: TeamState, key: string, request: RedeemCodeRequest, today: Day): Promise<CouponRedeemed> {
  const held = state.coupon ?? null;
  try {
    const coupon = await pricing.redeemPromotionCode({
      key, teamId: state.teamId, code: request.code, today, plan: state.plan, holdsCoupon: held !== null && !couponSpent(held, today),
    });
    state.coupon = coupon;
    return { coupon, endsOn: couponEndsOn(coupon) };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : null;
    if (!(cause instanceof ApplicationFailure) || cause.type !== 'RedemptionRefused') throw error;
    const { reason } = (cause.details?.[0] ?? {}) as { reason?: string };
    throw ApplicationFailure.create({ type: reason ?? 'redemption_refused', message: cause.message, nonRetryable: true });
  }
}
