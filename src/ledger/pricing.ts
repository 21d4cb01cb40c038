// The catalog's price versions, coupons and promotion codes in the ledger (billing rules section 14). The rules
// are the domain's; this module stores them and keeps the one fact that needs the database: a code's
// redemptions never pass its maximum, however many teams redeem its last use at once.
import type { Knex } from 'knex';
import type { Day, Interval } from '../domain/calendar';
import type { PaidPlan, Plan } from '../domain/catalog';
import { checkRedemption, normalizeCode, type Coupon, type HeldCoupon, type PromotionCode, type RedemptionRefusal } from '../domain/coupons';
import { priceInForce, type PriceVersion } from '../domain/price-versions';
import { recordWebhookEvent } from './outbox/webhook-events';

type Db = Knex | Knex.Transaction;

/** A request the ledger refuses; `reason` names why (a redemption refusal, an unknown code, a taken id). */
export class PricingRefused extends Error {
  constructor(
    readonly reason: RedemptionRefusal | 'code_unknown' | 'coupon_unknown' | 'coupon_exists' | 'code_exists',
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PricingRefused';
  }
}

interface PriceRow { plan: PaidPlan; interval: Interval; version: number; amount: number; published_on: Day; grandfathered: boolean }
interface CouponRow { id: string; percent_off: number | null; amount_off: number | null; duration: Coupon['duration']; months: number | null; plans: PaidPlan[] | null }
interface CodeRow { code: string; coupon_id: string; max_redemptions: number | null; redeemed: number; expires_on: Day | null; first_time_only: boolean }

const priceOf = (r: PriceRow): PriceVersion => ({
  plan: r.plan, interval: r.interval, version: r.version, amount: r.amount, publishedOn: r.published_on, grandfathered: r.grandfathered,
});
const couponOf = (r: CouponRow): Coupon => ({ id: r.id, percentOff: r.percent_off, amountOff: r.amount_off, duration: r.duration, months: r.months, plans: r.plans });
const codeOf = (r: CodeRow): PromotionCode => ({
  code: r.code, couponId: r.coupon_id, maxRedemptions: r.max_redemptions, redeemed: r.redeemed, expiresOn: r.expires_on, firstTimeOnly: r.first_time_only,
});

/** Every version of every per-member price (or of one plan and interval), oldest first. */
export async function priceVersions(db: Db, only?: { plan: PaidPlan; interval: Interval }): Promise<PriceVersion[]> {
  const rows = (await db('catalog_prices').where(only ?? {}).orderBy(['plan', 'interval', 'version'])) as PriceRow[];
  return rows.map(priceOf);
}

/**
 * The version of a price a team takes when it subscribes, starts a trial or changes plan or interval on `on` (section
 * 14): the domain's priceInForce over the stored versions. The workflow reads it through an activity where it fixes a
 * price, and the API's quotes read it here, so a quote and the charge it shows price alike.
 */
export async function priceInForceOn(db: Db, plan: PaidPlan, interval: Interval, on: Day): Promise<PriceVersion> {
  return priceInForce(await priceVersions(db, { plan, interval }), plan, interval, on);
}

/** Every per-member price in force on `on`: the latest version of each plan and interval published by then. */
export async function pricesInForceOn(db: Db, on: Day): Promise<PriceVersion[]> {
  const versions = await priceVersions(db);
  const prices = new Map(versions.filter((v) => v.publishedOn <= on).map((v) => [`${v.plan}:${v.interval}`, v])); // oldest first: the last wins
  return [...prices.values()];
}

/**
 * A new version of a price, numbered after the last (under the lock of the price's first version, so two
 * publications never take one number). Publishing the same price, day and treatment again returns that version.
 */
export async function publishPrice(db: Knex, input: Omit<PriceVersion, 'version'>): Promise<{ version: PriceVersion; created: boolean }> {
  return db.transaction(async (trx) => {
    const { plan, interval } = input;
    await trx('catalog_prices').where({ plan, interval, version: 1 }).forUpdate().first();
    const last = (await trx('catalog_prices').where({ plan, interval }).orderBy('version', 'desc').first()) as PriceRow | undefined;
    if (last && last.amount === input.amount && last.published_on === input.publishedOn && last.grandfathered === input.grandfathered) {
      return { version: priceOf(last), created: false };
    }
    const row = { plan, interval, version: (last?.version ?? 0) + 1, amount: input.amount, published_on: input.publishedOn, grandfathered: input.grandfathered };
    await trx('catalog_prices').insert(row);
    const version = priceOf(row);
    await recordWebhookEvent(trx, {
      key: `price:${plan}-${interval}:v${version.version}:price.published`, type: 'price.published', teamId: null, occurredAt: `${input.publishedOn}T00:00:00.000Z`, data: { ...version },
    });
    return { version, created: true };
  });
}

/**
 * One page of the teams a publication of `plan` and `interval` may concern: those whose published view (the read
 * model) is on it, after `after` in team order (keyset paging, so a page is the same however many teams follow).
 */
export async function teamsOnPrice(db: Db, input: { plan: PaidPlan; interval: Interval; after: string; limit: number }): Promise<string[]> {
  const rows = (await db('subscription_views')
    .whereRaw("view->>'plan' = ? AND view->>'interval' = ?", [input.plan, input.interval])
    .andWhere('team_id', '>', input.after)
    .orderBy('team_id')
    .limit(input.limit)
    .select('team_id')) as { team_id: string }[];
  return rows.map((row) => row.team_id);
}

/** A coupon under its id; the same id with the same terms again is the same coupon, with other terms a refusal. */
export async function createCoupon(db: Db, coupon: Coupon): Promise<Coupon> {
  const row = {
    id: coupon.id, percent_off: coupon.percentOff, amount_off: coupon.amountOff, duration: coupon.duration, months: coupon.months,
    plans: coupon.plans === null ? null : JSON.stringify(coupon.plans),
  };
  await db('coupons').insert(row).onConflict('id').ignore();
  const stored = couponOf((await db('coupons').where({ id: coupon.id }).first()) as CouponRow);
  if (JSON.stringify(stored) !== JSON.stringify(coupon)) throw new PricingRefused('coupon_exists', `A coupon ${coupon.id} exists with other terms.`, 'id');
  return stored;
}

/** A promotion code (stored upper-case) for an existing coupon; the same code with the same terms again is the same code. */
export async function createPromotionCode(db: Db, input: Omit<PromotionCode, 'redeemed'>): Promise<PromotionCode> {
  const code = normalizeCode(input.code);
  if (!(await db('coupons').where({ id: input.couponId }).first())) throw new PricingRefused('coupon_unknown', `No coupon ${input.couponId}.`, 'couponId');
  const row = { code, coupon_id: input.couponId, max_redemptions: input.maxRedemptions, expires_on: input.expiresOn, first_time_only: input.firstTimeOnly };
  await db('promotion_codes').insert(row).onConflict('code').ignore();
  const stored = codeOf((await db('promotion_codes').where({ code }).first()) as CodeRow);
  const { redeemed: _redeemed, ...terms } = stored;
  if (JSON.stringify(terms) !== JSON.stringify({ ...input, code })) throw new PricingRefused('code_exists', `A promotion code ${code} exists with other terms.`, 'code');
  return stored;
}

export interface RedeemInput {
  /** Names the team's redeem request: a retry finds its redemption instead of taking a second use. */
  key: string;
  teamId: string;
  code: string;
  today: Day;
  plan: Plan;
  /** The team holds a coupon that can still discount (the workflow knows). */
  holdsCoupon: boolean;
}

/**
 * Redeems a code for a team, or refuses naming why (section 14). The code's row is locked for the transaction:
 * of two teams redeeming its last use at once, the second waits, then reads the count the first left and is
 * refused `code_used_up`.
 */
export async function redeemPromotionCode(db: Knex, input: RedeemInput): Promise<HeldCoupon> {
  return db.transaction(async (trx) => {
    const code = normalizeCode(input.code);
    const done = (await trx('coupon_redemptions').where({ idempotency_key: input.key }).first()) as { code: string; coupon_id: string; redeemed_on: Day } | undefined;
    if (done) return heldOf(trx, done.coupon_id, done.code, done.redeemed_on);
    const row = (await trx('promotion_codes').where({ code }).forUpdate().first()) as CodeRow | undefined;
    if (!row) throw new PricingRefused('code_unknown', `There is no promotion code ${code}.`, 'code');
    const coupon = couponOf((await trx('coupons').where({ id: row.coupon_id }).first()) as CouponRow);
    const paid = await trx('invoices').where({ team_id: input.teamId, status: 'paid' }).first('id');
    const check = checkRedemption({ code: codeOf(row), coupon, today: input.today, plan: input.plan, hasPaidInvoice: paid !== undefined, holdsCoupon: input.holdsCoupon });
    if (!check.ok) throw new PricingRefused(check.reason, check.message, 'code');
    await trx('promotion_codes').where({ code }).increment('redeemed', 1);
    await trx('coupon_redemptions').insert({ idempotency_key: input.key, team_id: input.teamId, code, coupon_id: coupon.id, redeemed_on: input.today });
    await recordWebhookEvent(trx, {
      key: `${input.key}:coupon.redeemed`, type: 'coupon.redeemed', teamId: input.teamId, occurredAt: `${input.today}T00:00:00.000Z`,
      data: { code, coupon: { ...coupon }, redeemedOn: input.today },
    });
    return { coupon, code, redeemedOn: input.today, usedOn: null };
  });
}

async function heldOf(db: Db, couponId: string, code: string, redeemedOn: Day): Promise<HeldCoupon> {
  const coupon = couponOf((await db('coupons').where({ id: couponId }).first()) as CouponRow);
  return { coupon, code, redeemedOn, usedOn: null };
}
