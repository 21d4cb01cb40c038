// Referral credits (section 8). A grant belongs to a user until contributed to
// a team (one way), pays only for plans, and expires at the end of the third
// calendar year after the year it was acquired: acquired any day of 2026 →
// expires 2029-12-31T23:59:59Z, unusable from 2030-01-01T00:00:00Z.
import { dayOf, epochMs, type Day, type Instant, type Moment } from './calendar';
import { assertCents, type Cents } from './money';

/** Credits earned each time someone the user invited registers. */
export const REFERRAL_REWARD: Cents = 1000;
export const CREDIT_LIFETIME_YEARS = 3;

export interface CreditGrant {
  /** The acquisition's id; a contributed part keeps it, so history links up. */
  id: string;
  /** Remaining credits, in cents. */
  amount: Cents;
  acquiredOn: Day;
  /** Last second in which the grant is usable. */
  expiresAt: Instant;
}

export interface CreditUse {
  grantId: string;
  amount: Cents;
}

/** `refunded`: credits an invoice used, given back to their grant by its refund (section 10), expiry unchanged. */
export type CreditEventKind = 'acquired' | 'contributed' | 'used' | 'refunded' | 'expired';

/** One line of a credit history (ledger rows are written by activities). */
export interface CreditEvent {
  kind: CreditEventKind;
  grantId: string;
  amount: Cents;
  at: Moment;
}

/** End of the third calendar year after the year of acquisition. */
export function creditExpiry(acquired: Moment): Instant {
  const year = Number(dayOf(acquired).slice(0, 4));
  return `${year + CREDIT_LIFETIME_YEARS}-12-31T23:59:59Z`;
}

/** A grant is usable through the last second of its expiresAt, not after. */
export function isGrantExpired(grant: CreditGrant, now: Moment): boolean {
  return epochMs(now) >= epochMs(grant.expiresAt) + 1000;
}

export function acquireCredits(id: string, amount: Cents, acquired: Moment): { grant: CreditGrant; event: CreditEvent } {
  assertCents(amount, 'credit amount');
  if (amount <= 0) throw new RangeError(`a credit grant must be positive, got ${amount}`);
  const grant: CreditGrant = { id, amount, acquiredOn: dayOf(acquired), expiresAt: creditExpiry(acquired) };
  return { grant, event: { kind: 'acquired', grantId: id, amount, at: acquired } };
}

function bySoonestExpiry(a: CreditGrant, b: CreditGrant): number {
  // Ties (same expiry year) fall back to the older grant, then the id, so the
  // choice never depends on the order grants were listed in.
  if (a.expiresAt !== b.expiresAt) return epochMs(a.expiresAt) - epochMs(b.expiresAt);
  if (a.acquiredOn !== b.acquiredOn) return a.acquiredOn < b.acquiredOn ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Usable grants (unexpired, not empty), soonest-expiring first. */
export function usableGrants(grants: readonly CreditGrant[], now: Moment): CreditGrant[] {
  return grants.filter((g) => g.amount > 0 && !isGrantExpired(g, now)).sort(bySoonestExpiry);
}

export function creditBalance(grants: readonly CreditGrant[], now: Moment): Cents {
  let total = 0;
  for (const grant of usableGrants(grants, now)) total += grant.amount;
  return total;
}

/**
 * Takes up to `amount` from the usable grants, soonest-expiring first, never
 * taking a grant below zero. Returns the grants in their original order.
 */
export function takeCredits(
  grants: readonly CreditGrant[],
  amount: Cents,
  now: Moment,
): { taken: Cents; uses: CreditUse[]; grants: CreditGrant[] } {
  assertCents(amount, 'amount');
  if (amount < 0) throw new RangeError(`cannot take a negative amount of credits: ${amount}`);
  const remaining = new Map<string, number>();
  const uses: CreditUse[] = [];
  let left = amount;
  for (const grant of usableGrants(grants, now)) {
    if (left === 0) break;
    const take = Math.min(left, grant.amount);
    uses.push({ grantId: grant.id, amount: take });
    remaining.set(grant.id, grant.amount - take);
    left -= take;
  }
  const after = grants.map((g) => {
    const rest = remaining.get(g.id);
    return rest === undefined ? g : { ...g, amount: rest };
  });
  return { taken: amount - left, uses, grants: after };
}

export type ContributionResult =
  | { ok: true; user: CreditGrant[]; contributed: CreditGrant[]; events: CreditEvent[] }
  | { ok: false; error: 'insufficient_credits'; available: Cents; message: string };

/**
 * A user contributes `amount` of their credits to a team, soonest-expiring
 * first. The contributed parts keep their grant id and expiry; merge them into
 * the team's grants with `mergeGrants`. Contribution is one way.
 */
export function contributeCredits(userGrants: readonly CreditGrant[], amount: Cents, at: Moment): ContributionResult {
  assertCents(amount, 'amount');
  if (amount <= 0) throw new RangeError(`a contribution must be positive, got ${amount}`);
  const available = creditBalance(userGrants, at);
  if (available < amount) {
    return { ok: false, error: 'insufficient_credits', available, message: `Only ${available} cents of credits are available; ${amount} were asked.` };
  }
  const { uses, grants } = takeCredits(userGrants, amount, at);
  const byId = new Map(userGrants.map((g) => [g.id, g]));
  const contributed = uses.map((use) => {
    const source = byId.get(use.grantId) as CreditGrant;
    return { ...source, amount: use.amount };
  });
  const events = uses.map((use): CreditEvent => ({ kind: 'contributed', grantId: use.grantId, amount: use.amount, at }));
  return { ok: true, user: grants.filter((g) => g.amount > 0), contributed, events };
}

/** Adds grant parts to a holder's grants, summing parts of the same grant. */
export function mergeGrants(grants: readonly CreditGrant[], parts: readonly CreditGrant[]): CreditGrant[] {
  const merged = grants.map((g) => ({ ...g }));
  for (const part of parts) {
    const existing = merged.find((g) => g.id === part.id);
    if (existing) existing.amount = assertCents(existing.amount + part.amount);
    else merged.push({ ...part });
  }
  return merged;
}

/** Removes expired grants at `now`, recording what expired. */
export function expireCredits(grants: readonly CreditGrant[], now: Moment): { grants: CreditGrant[]; events: CreditEvent[] } {
  const kept: CreditGrant[] = [];
  const events: CreditEvent[] = [];
  for (const grant of grants) {
    if (!isGrantExpired(grant, now)) kept.push(grant);
    else if (grant.amount > 0) events.push({ kind: 'expired', grantId: grant.id, amount: grant.amount, at: grant.expiresAt });
  }
  return { grants: kept, events };
}

/** 'used' events for the credits a payment took. */
export function creditUseEvents(uses: readonly CreditUse[], at: Moment): CreditEvent[] {
  return uses.map((use) => ({ kind: 'used', grantId: use.grantId, amount: use.amount, at }));
}
