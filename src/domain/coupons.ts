// Coupons and promotion codes (billing rules section 14). A coupon is a percent or an amount off for a
// duration; a promotion code is the customer-facing name of a coupon, with its own limits. A team holds at
// most one coupon; while it is active each subscription invoice gets one negative discount line, computed
// from the sum of the invoice's other (already rounded) lines and rounded once.
import { addMonths, dayOfMonth, type Day } from './calendar';
import { PLAN_NAMES, type PaidPlan, type Plan } from './catalog';
import { buildInvoice, invoiceTotal, type Invoice, type InvoiceLine, type InvoiceReason } from './invoice';
import { basisPointsOf, formatUsd, type Cents } from './money';

export type CouponDuration = 'once' | 'repeating' | 'forever';

export interface Coupon {
  id: string;
  /** Exactly one of percentOff (1–100) and amountOff (cents) is set. */
  percentOff: number | null;
  amountOff: Cents | null;
  duration: CouponDuration;
  /** `repeating` only: how many months after redemption it lasts. */
  months: number | null;
  /** Plans whose invoices it discounts; null: every plan. */
  plans: readonly PaidPlan[] | null;
}

export interface PromotionCode {
  /** Stored upper-case: codes are case-insensitive. */
  code: string;
  couponId: string;
  maxRedemptions: number | null;
  redeemed: number;
  /** Last day it can be redeemed; null: no expiry. */
  expiresOn: Day | null;
  /** Only a team with no paid invoice yet may redeem it. */
  firstTimeOnly: boolean;
}

/** The coupon a team holds, as the workflow carries it (plain JSON). */
export interface HeldCoupon {
  coupon: Coupon;
  code: string;
  redeemedOn: Day;
  /** `once`: set when the one invoice it discounts has been issued; from then it discounts nothing. */
  usedOn: Day | null;
}

/** Invoices that carry a subscription's discount (seat orders are a separate system, never discounted). */
export const DISCOUNTED_REASONS: readonly InvoiceReason[] = ['trial_end', 'subscribe', 'renewal', 'member_review', 'plan_change'];

export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

export type CouponCheck = { ok: true } | { ok: false; field: string; message: string };

/** A coupon's own shape: one kind of discount, in range, and months exactly when repeating. */
export function checkCoupon(coupon: Omit<Coupon, 'id'>): CouponCheck {
  const { percentOff, amountOff, duration, months } = coupon;
  if ((percentOff === null) === (amountOff === null)) return { ok: false, field: 'percentOff', message: 'Give exactly one of percentOff and amountOff.' };
  if (percentOff !== null && !(Number.isInteger(percentOff) && percentOff >= 1 && percentOff <= 100)) {
    return { ok: false, field: 'percentOff', message: 'percentOff must be an integer from 1 to 100.' };
  }
  if (amountOff !== null && !(Number.isSafeInteger(amountOff) && amountOff >= 1)) return { ok: false, field: 'amountOff', message: 'amountOff must be a positive number of cents.' };
  if (duration === 'repeating' && !(months !== null && Number.isInteger(months) && months >= 1)) {
    return { ok: false, field: 'months', message: 'A repeating coupon needs months, a positive integer.' };
  }
  if (duration !== 'repeating' && months !== null) return { ok: false, field: 'months', message: 'Only a repeating coupon has months.' };
  return { ok: true };
}

export type RedemptionRefusal = 'code_expired' | 'code_used_up' | 'code_not_for_plan' | 'code_first_time_only' | 'coupon_already_held';

export type RedemptionCheck = { ok: true } | { ok: false; reason: RedemptionRefusal; message: string };

export interface RedemptionInput {
  code: PromotionCode;
  coupon: Coupon;
  today: Day;
  /** The team's plan now (Free before it subscribes: any coupon may wait for the plan it names). */
  plan: Plan;
  hasPaidInvoice: boolean;
  holdsCoupon: boolean;
}

/** Why a code cannot be redeemed, in the order a customer can act on: expired, used up, plan, first time, one coupon. */
export function checkRedemption(input: RedemptionInput): RedemptionCheck {
  const { code, coupon } = input;
  if (code.expiresOn !== null && input.today > code.expiresOn) {
    return { ok: false, reason: 'code_expired', message: `The code ${code.code} expired on ${code.expiresOn}.` };
  }
  if (code.maxRedemptions !== null && code.redeemed >= code.maxRedemptions) {
    return { ok: false, reason: 'code_used_up', message: `The code ${code.code} has been used the ${code.maxRedemptions} times it allows.` };
  }
  if (coupon.plans !== null && input.plan !== 'free' && !coupon.plans.includes(input.plan)) {
    const names = coupon.plans.map((p) => PLAN_NAMES[p]).join(', ');
    return { ok: false, reason: 'code_not_for_plan', message: `The code ${code.code} is for ${names}, not ${PLAN_NAMES[input.plan]}.` };
  }
  if (code.firstTimeOnly && input.hasPaidInvoice) {
    return { ok: false, reason: 'code_first_time_only', message: `The code ${code.code} is for first-time customers, and this team has paid an invoice.` };
  }
  if (input.holdsCoupon) return { ok: false, reason: 'coupon_already_held', message: 'This team already holds a coupon; a team holds one at a time.' };
  return { ok: true };
}

/** `repeating` N months ends N months after redemption (anchor clamping); others have no end day. */
export function couponEndsOn(held: Pick<HeldCoupon, 'coupon' | 'redeemedOn'>): Day | null {
  const { coupon, redeemedOn } = held;
  return coupon.duration === 'repeating' && coupon.months !== null ? addMonths(redeemedOn, coupon.months, dayOfMonth(redeemedOn)) : null;
}

/**
 * Whether the held coupon discounts an invoice of `plan` dated `on`: a subscription invoice on or after
 * redemption, of a plan it allows; `once` until it has been used; `repeating` dated before its end day.
 */
export function couponApplies(held: HeldCoupon | null, invoice: { on: Day; reason: InvoiceReason; plan: Plan | null }): held is HeldCoupon {
  if (!held || invoice.on < held.redeemedOn || !DISCOUNTED_REASONS.includes(invoice.reason)) return false;
  const { coupon } = held;
  if (coupon.plans !== null && (invoice.plan === null || invoice.plan === 'free' || !coupon.plans.includes(invoice.plan))) return false;
  if (coupon.duration === 'once') return held.usedOn === null;
  const ends = couponEndsOn(held);
  return ends === null || invoice.on < ends;
}

/** Whether a held coupon can never discount again (a used `once`, a `repeating` past its end): the team may take another. */
export function couponSpent(held: HeldCoupon, today: Day): boolean {
  if (held.coupon.duration === 'once') return held.usedOn !== null;
  const ends = couponEndsOn(held);
  return ends !== null && today >= ends;
}

/**
 * The discount on lines summing to `sum`: percent off −round(pct × sum) (pct as basis points, rounded once, half
 * away from zero); amount off −min(amountOff, sum), the unused rest lost. Nothing off a sum of zero or less.
 */
export function discountAmount(coupon: Coupon, sum: Cents): Cents {
  if (sum <= 0) return 0;
  if (coupon.percentOff !== null) return -basisPointsOf(sum, coupon.percentOff * 100); // −round(sum × pct ÷ 100)
  return -Math.min(coupon.amountOff ?? 0, sum);
}

export function describeDiscount(code: string, coupon: Coupon): string {
  return coupon.percentOff !== null ? `Discount ${code}, ${coupon.percentOff}% off` : `Discount ${code}, ${formatUsd(coupon.amountOff ?? 0)} off`;
}

/** The one negative discount line of an invoice, or null when the coupon takes nothing off it. */
export function discountLine(held: HeldCoupon, lines: readonly InvoiceLine[]): InvoiceLine | null {
  const amount = discountAmount(held.coupon, invoiceTotal(lines));
  return amount === 0 ? null : { kind: 'discount', description: describeDiscount(held.code, held.coupon), amount };
}

/**
 * The invoice with the held coupon's discount line when it applies (tax comes after, on the discounted sum), and
 * the coupon as it is after this invoice (a `once` coupon marked used).
 */
export function discountInvoice(invoice: Invoice, held: HeldCoupon | null, plan: Plan | null): { invoice: Invoice; held: HeldCoupon | null } {
  if (!couponApplies(held, { on: invoice.on, reason: invoice.reason, plan })) return { invoice, held };
  const line = discountLine(held, invoice.lines);
  const after = held.coupon.duration === 'once' ? { ...held, usedOn: invoice.on } : held;
  return { invoice: line ? buildInvoice(invoice.on, invoice.reason, [...invoice.lines, line]) : invoice, held: after };
}

/**
 * A removed member's refund less the percent off of the invoice that billed its period: refund − round(pct ×
 * refund). An amount off does not reduce it (percentOff null).
 */
export function discountedRefund(refund: Cents, percentOff: number | null): Cents {
  return percentOff === null || refund <= 0 ? refund : refund - basisPointsOf(refund, percentOff * 100);
}

/** The percent off the invoice that opened a period carried: what the refunds of members removed in it are reduced by. */
export interface PeriodDiscount {
  code: string;
  percentOff: number;
}

/**
 * The percent off an invoice carries: its discount line came from `held` (the coupon as it was when the invoice
 * was written) and that coupon is a percent off. Null without a discount line, and for an amount off, which never
 * reduces a refund.
 */
export function percentOffCarried(invoice: Pick<Invoice, 'lines'>, held: HeldCoupon | null): PeriodDiscount | null {
  if (!held || held.coupon.percentOff === null || !invoice.lines.some((line) => line.kind === 'discount')) return null;
  return { code: held.code, percentOff: held.coupon.percentOff };
}

/**
 * For a period opened before the percent off of its invoice was recorded: the one `held` gave the invoice that opened
 * the period on `start` of `plan` (a `once` coupon used that day; another one applying on that day), else null.
 */
export function percentOffOnPeriodStart(held: HeldCoupon | null, start: Day, plan: Plan): PeriodDiscount | null {
  if (!held || held.coupon.percentOff === null) return null;
  const gave = held.coupon.duration === 'once' ? held.usedOn === start : couponApplies(held, { on: start, reason: 'renewal', plan });
  return gave ? { code: held.code, percentOff: held.coupon.percentOff } : null;
}

/**
 * The line that reduces removed members' refunds R (the sum of their prorated lines, each rounded once) by the percent
 * off of the invoice that billed their period: −round(R × pct ÷ 100), rounded once by basisPointsOf, so the balance
 * gets R − round(R × pct ÷ 100). C1's team, one of 10 removed May 25: R = 1200 × 26/31 = 1006, −round(201.2) = −201,
 * refund 805. Null when nothing is taken off (no percent off, or nothing refunded).
 */
export function refundDiscountLine(discount: PeriodDiscount | null, refund: Cents): InvoiceLine | null {
  if (!discount) return null;
  const amount = discountedRefund(refund, discount.percentOff) - refund;
  const description = `Discount ${discount.code}, ${discount.percentOff}% off, as on the invoice that billed the period`;
  return amount === 0 ? null : { kind: 'discount', description, amount };
}
