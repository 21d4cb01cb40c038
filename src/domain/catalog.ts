// The catalog is data (catalog.json), validated when it is loaded. It is
// versioned: a subscriber pays the version in force on the first day of its
// period, so a price change reaches it at its next renewal, never mid-period.
import { z } from 'zod';
import catalogData from './catalog.json';
import { isDay, type Day, type Interval } from './calendar';
import type { Cents } from './money';

export type Plan = 'free' | 'basic' | 'professional' | 'enterprise';
export type PaidPlan = Exclude<Plan, 'free'>;

export const PLANS: readonly Plan[] = ['free', 'basic', 'professional', 'enterprise'];
export const INTERVALS: readonly Interval[] = ['month', 'year'];

export interface PlanPrices {
  /** 0 free, 1 basic, 2 professional, 3 enterprise: orders up- and downgrades. */
  tier: number;
  /** Subscription system, per member per interval; null when the plan is not sold that way. */
  perMember: { month: Cents; year: Cents } | null;
  /** Seat system, per seat per year; null when the plan has no seat orders. */
  perSeatYear: Cents | null;
}

export interface CatalogVersion {
  version: number;
  /** First day on which this version prices a newly starting period. */
  effectiveFrom: Day;
  /** Members a team may have on Free before it is restricted. */
  freeCapacity: number;
  plans: Record<Plan, PlanPrices>;
}

export interface Catalog {
  currency: 'usd';
  /** Ascending by effectiveFrom. */
  versions: readonly CatalogVersion[];
}

const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const day = z.string().refine(isDay, 'must be a calendar day YYYY-MM-DD');
const planPrices = z.object({
  tier: z.number().int().nonnegative(),
  perMember: z.object({ month: cents, year: cents }).nullable(),
  perSeatYear: cents.nullable(),
});
const versionSchema = z
  .object({
    version: z.number().int().positive(),
    effectiveFrom: day,
    freeCapacity: z.number().int().nonnegative(),
    plans: z.object({ free: planPrices, basic: planPrices, professional: planPrices, enterprise: planPrices }),
  })
  .superRefine((v, ctx) => {
    const tiers = PLANS.map((p) => v.plans[p].tier);
    if (tiers.some((t, i) => i > 0 && t <= (tiers[i - 1] ?? -1))) {
      ctx.addIssue({ code: 'custom', message: 'tiers must rise free < basic < professional < enterprise', path: ['plans'] });
    }
    const free = v.plans.free.perMember;
    if (free === null || free.month !== 0 || free.year !== 0) {
      ctx.addIssue({ code: 'custom', message: 'free must cost 0 per member', path: ['plans', 'free', 'perMember'] });
    }
  });
const catalogSchema = z
  .object({ currency: z.literal('usd'), versions: z.array(versionSchema).min(1) })
  .superRefine((c, ctx) => {
    c.versions.forEach((v, i) => {
      const prev = c.versions[i - 1];
      if (prev && !(prev.effectiveFrom < v.effectiveFrom && prev.version < v.version)) {
        ctx.addIssue({ code: 'custom', message: 'versions must rise in number and effectiveFrom', path: ['versions', i] });
      }
    });
  });

/** Validates catalog data (e.g. a parsed JSON file); throws a ZodError naming the field. */
export function loadCatalog(data: unknown): Catalog {
  return catalogSchema.parse(data);
}

/** The catalog shipped in src/domain/catalog.json. */
export const defaultCatalog: Catalog = loadCatalog(catalogData);

/** The version in force on `on` (the start day of the period being priced). */
export function catalogVersionOn(catalog: Catalog, on: Day): CatalogVersion {
  let found: CatalogVersion | undefined;
  for (const version of catalog.versions) {
    if (version.effectiveFrom <= on) found = version;
    else break;
  }
  if (!found) throw new RangeError(`no catalog version in force on ${on}`);
  return found;
}

/** Price per member per interval of a period starting on `periodStart`. */
export function memberPrice(plan: Plan, interval: Interval, periodStart: Day, catalog: Catalog = defaultCatalog): Cents {
  const prices = catalogVersionOn(catalog, periodStart).plans[plan].perMember;
  if (prices === null) throw new RangeError(`${plan} is not sold per member (subscription system)`);
  return prices[interval];
}

/** Price per seat per year of an order starting on `orderStart`. */
export function seatPrice(plan: Plan, orderStart: Day, catalog: Catalog = defaultCatalog): Cents {
  const price = catalogVersionOn(catalog, orderStart).plans[plan].perSeatYear;
  if (price === null) throw new RangeError(`${plan} is not sold by seats`);
  return price;
}

export function isSoldPerMember(plan: Plan, on: Day, catalog: Catalog = defaultCatalog): boolean {
  return catalogVersionOn(catalog, on).plans[plan].perMember !== null;
}

export function isSoldBySeats(plan: Plan, on: Day, catalog: Catalog = defaultCatalog): boolean {
  return catalogVersionOn(catalog, on).plans[plan].perSeatYear !== null;
}

export function tierOf(plan: Plan, on: Day, catalog: Catalog = defaultCatalog): number {
  return catalogVersionOn(catalog, on).plans[plan].tier;
}

export function freeCapacity(on: Day, catalog: Catalog = defaultCatalog): number {
  return catalogVersionOn(catalog, on).freeCapacity;
}

/** A team on Free with more members than the Free capacity is restricted (it keeps its data). */
export function isRestricted(plan: Plan, members: number, on: Day, catalog: Catalog = defaultCatalog): boolean {
  return plan === 'free' && members > freeCapacity(on, catalog);
}

/** Display name used in invoice lines. */
export const PLAN_NAMES: Readonly<Record<Plan, string>> = {
  free: 'Free',
  basic: 'Basic',
  professional: 'Professional',
  enterprise: 'Enterprise',
};

export function isPlan(value: unknown): value is Plan {
  return typeof value === 'string' && (PLANS as readonly string[]).includes(value);
}

export function isInterval(value: unknown): value is Interval {
  return value === 'month' || value === 'year';
}
