// Price versions (billing rules section 14): each price of the catalog (plan × interval, per member) is a list
// of versions, each with a publication day. A team takes the version in force on the day it subscribes, starts
// a trial or changes plan or interval, and keeps it; a later version reaches it at its first renewal at least
// 30 days after publication (with a `price_change_notice` on the publication day), unless that version
// grandfathers existing subscribers, who then keep their price until they change plan or interval.
import { addMonths, addDays, type Day, type Interval } from './calendar';
import { defaultCatalog, PLANS, type Catalog, type PaidPlan } from './catalog';
import type { Cents } from './money';

/** Days between a price's publication and the first renewal that may charge it to an existing subscriber. */
export const PRICE_NOTICE_DAYS = 30;

export interface PriceVersion {
  plan: PaidPlan;
  interval: Interval;
  /** 1, 2, …: rises with publication, per plan and interval. */
  version: number;
  /** Per member per interval. */
  amount: Cents;
  publishedOn: Day;
  /** Existing subscribers keep their price (no migration, no notice). */
  grandfathered: boolean;
}

/** The price a team pays now, as its workflow carries it. */
export type HeldPrice = Pick<PriceVersion, 'version' | 'amount'>;

/** Version 1 of every per-member price: today's catalog (the seed of the catalog tables), published on its effective day. */
export function seedPriceVersions(catalog: Catalog = defaultCatalog): PriceVersion[] {
  const first = catalog.versions[0];
  if (!first) return [];
  const seeds: PriceVersion[] = [];
  for (const plan of PLANS) {
    const prices = first.plans[plan].perMember;
    if (plan === 'free' || prices === null) continue;
    for (const interval of ['month', 'year'] as const) {
      seeds.push({ plan, interval, version: 1, amount: prices[interval], publishedOn: first.effectiveFrom, grandfathered: false });
    }
  }
  return seeds;
}

function versionsOf(versions: readonly PriceVersion[], plan: PaidPlan, interval: Interval): PriceVersion[] {
  return versions.filter((v) => v.plan === plan && v.interval === interval).sort((a, b) => a.version - b.version);
}

/** The version a team takes when it subscribes, starts a trial or changes plan or interval on `on`: the latest published by then. */
export function priceInForce(versions: readonly PriceVersion[], plan: PaidPlan, interval: Interval, on: Day): PriceVersion {
  const found = versionsOf(versions, plan, interval).filter((v) => v.publishedOn <= on).at(-1);
  if (!found) throw new RangeError(`no ${plan} ${interval} price published by ${on}`);
  return found;
}

/**
 * The price of a renewal on `renewalOn` for a team holding `held`: the latest version after it, not
 * grandfathered, published at least 30 days before (publishedOn + 30 ≤ renewalOn); else the held one.
 */
export function priceAtRenewal(versions: readonly PriceVersion[], plan: PaidPlan, interval: Interval, held: HeldPrice, renewalOn: Day): HeldPrice {
  const due = versionsOf(versions, plan, interval).filter(
    (v) => v.version > held.version && !v.grandfathered && addDays(v.publishedOn, PRICE_NOTICE_DAYS) <= renewalOn,
  );
  const latest = due.at(-1);
  return latest ? { version: latest.version, amount: latest.amount } : held;
}

/**
 * The first renewal at least 30 days after publication: walking the team's renewal days from its next one
 * (`nextRenewalOn`, on the anchor day, clamped) until one is on or after publishedOn + 30.
 */
export function migrationRenewalOn(publishedOn: Day, nextRenewalOn: Day, interval: Interval, anchorDay: number): Day {
  const earliest = addDays(publishedOn, PRICE_NOTICE_DAYS);
  const months = interval === 'month' ? 1 : 12;
  let on = nextRenewalOn;
  for (let k = 1; on < earliest; k++) on = addMonths(nextRenewalOn, k * months, anchorDay);
  return on;
}

export interface PriceChangeNotice {
  plan: PaidPlan;
  interval: Interval;
  from: Cents;
  to: Cents;
  version: number;
  effectiveOn: Day;
}

/**
 * What the `price_change_notice` of a publication tells a subscriber of that plan and interval: the new price from
 * its first renewal at least 30 days later. Null when the version grandfathers it, or does not change its price.
 */
export function priceChangeNotice(
  published: PriceVersion,
  subscriber: { held: HeldPrice; nextRenewalOn: Day; anchorDay: number },
): PriceChangeNotice | null {
  if (published.grandfathered || published.version <= subscriber.held.version || published.amount === subscriber.held.amount) return null;
  const { plan, interval } = published;
  const effectiveOn = migrationRenewalOn(published.publishedOn, subscriber.nextRenewalOn, interval, subscriber.anchorDay);
  return { plan, interval, from: subscriber.held.amount, to: published.amount, version: published.version, effectiveOn };
}
