// Section 14, price versions, in the team workflow. A publication reaches each running team by a `pricePublished`
// signal (fanned out by the publisher, POST /v1/prices in src/api/routes/pricing.ts); the team computes from its own
// state when the new price reaches it (its first renewal at least 30 days after publication), sends the
// `price_change_notice` that day, and keeps the change in its state until that renewal, which prices the period with
// it. Why a signal rather than a catalog read at renewal: the notice is due on the publication day, which only a
// message that day can give, and the preview must show the new price before the renewal; a renewal then issues the
// same commands as before (no activity added to 10,000 renewals), and the signal is one small event per team.
import {
  dayOfMonth,
  deferredPeriodOf,
  memberPrice,
  periodFrom,
  priceChangeNotice,
  type Day,
  type HeldPrice,
  type Interval,
  type PaidPlan,
  type PriceChangeNotice,
  type PriceVersion,
} from '../../domain';
import type { PendingChangePrice } from '../team-subscription-messages';
import type { TeamState } from './state';

/** The price the team pays now: the one it took, or (carried from before versions) the catalog's on its period start. */
function heldPrice(state: TeamState, plan: PaidPlan, interval: Interval, start: Day): HeldPrice {
  return state.price ?? { version: 1, amount: memberPrice(plan, interval, start) };
}

/**
 * What a publication means for this team: a notice and a scheduled change when it subscribes (or trials) the
 * published plan and interval and the version is not grandfathered; null otherwise. A trial's first renewal is one
 * period after its end (the trial end charges the price taken when the trial started).
 */
export function learnPublishedPrice(state: TeamState, published: PriceVersion): PriceChangeNotice | null {
  // Only the plan and interval the team is on: one it has pending takes its price in force on the change's day, as a
  // change of plan does (section 14), with no notice (pendingChangePrice).
  if (state.plan === 'free' || state.plan !== published.plan || state.interval !== published.interval) return null;
  const start = state.period?.start ?? state.trial?.end;
  const nextRenewalOn = state.period?.end ?? (state.trial ? periodFrom(state.trial.end, state.interval).end : null);
  if (!start || !nextRenewalOn) return null;
  const anchorDay = state.anchorDay ?? dayOfMonth(start);
  const notice = priceChangeNotice(published, { held: heldPrice(state, state.plan, state.interval, start), nextRenewalOn, anchorDay });
  if (notice && (!state.priceChange || notice.version > state.priceChange.version)) state.priceChange = notice;
  return notice;
}

/**
 * Section 14 for a team with a pending change (it moves to Basic at its period's end, say): the change is a change of
 * plan or interval, so the period it starts takes the price in force on its day, read then from the ledger's catalog
 * (patch deferred-change-price-in-force), and no 30-day notice applies. The fan-out never tells such a team of its
 * pending plan's price (it tells teams on the published plan and interval; learnPublishedPrice ignores any other), and
 * a notice it had for the plan it leaves is dropped when the change applies (takePriceInForce).
 * `inForce` is the price the caller read for the pending change's plan, interval and day; null when it is not that one.
 */
export function pendingChangePrice(state: TeamState, inForce: PendingChangePrice | null | undefined): HeldPrice | null {
  const deferred = deferredPeriodOf(state.pendingChange);
  if (!inForce || !deferred || inForce.plan !== deferred.plan || inForce.interval !== deferred.interval || inForce.on !== deferred.on) return null;
  return { version: inForce.version, amount: inForce.amount };
}

/** The price a renewal on `on` charges for `next`: the scheduled change once its day has come, else what the team holds. */
export function renewalPrice(state: TeamState, on: Day, next: { plan: PaidPlan; interval: Interval }, start: Day): HeldPrice | null {
  const change = state.priceChange;
  if (change && change.plan === next.plan && change.interval === next.interval && on >= change.effectiveOn) return { version: change.version, amount: change.to };
  if (!state.price && !change) return null; // as before versions: the catalog's price, unchanged commands and lines
  return next.plan === state.plan && next.interval === state.interval ? heldPrice(state, next.plan, next.interval, start) : null;
}

/**
 * After a period starts at `price` (null: the catalog's, after a change of plan or interval): the team holds it,
 * and a scheduled change it has reached, or that was for the plan it left, is done. A state carried from before
 * versions, with neither, stays as it was, so its continue-as-new input is unchanged.
 */
export function takePrice(state: TeamState, price: HeldPrice | null): void {
  if (!price && state.price === undefined && state.priceChange === undefined) return;
  state.price = price;
  if (!price || (state.priceChange && price.version >= state.priceChange.version)) state.priceChange = null;
}

/**
 * A price fixed today, in force for the plan and interval the team subscribes, trials or changes to (patch
 * price-in-force): the team holds it, and a scheduled change is superseded (the price in force is the latest published).
 * Null, in runs from before it: the code catalog's price, as takePrice(null).
 */
export function takePriceInForce(state: TeamState, price: HeldPrice | null): void {
  if (!price) return takePrice(state, null);
  state.price = price;
  state.priceChange = null;
}
