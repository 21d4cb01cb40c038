import { Router } from 'express';
import { z } from 'zod';
import { freeCapacity, isRestricted, PLAN_NAMES, tierOf, type Day, type Plan as PlanName } from '../../domain';
import { stateQuery, type TeamSubscriptionView } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import type { TeamWorkflows } from '../team-workflows';
import { Day as DaySchema, Interval, Plan, TeamIdParam } from '../schemas';

/** How long an answer is reused. The SaaS asks on every request; a change shows up within this long. */
export const ENTITLEMENTS_MAX_AGE_MS = 2000;
const MAX_CACHED_TEAMS = 10_000;

const Capacity = z.object({
  kind: z.enum(['free', 'members', 'seats']).meta({ description: 'free: up to maxMembers; members: billed per member, no cap; seats: up to the seats ordered' }),
  maxMembers: z.int().nullable(),
});
const Change = z.object({
  effectiveOn: DaySchema, plan: Plan, interval: Interval.nullable(), tier: z.int(), capacity: Capacity,
  restrictedAfter: z.boolean().meta({ description: 'The team will be restricted then, with the members it has now' }),
});
const Entitlements = z
  .object({
    teamId: z.string(), asOf: DaySchema, plan: Plan, planName: z.string(), tier: z.int(), interval: Interval.nullable(),
    status: z.enum(['trialing', 'active', 'past_due', 'free']), members: z.int(), capacity: Capacity, restricted: z.boolean(),
    trialEndsOn: DaySchema.nullable(), pendingChange: Change.nullable(),
    maxAgeMs: z.int().meta({ description: 'The answer may be this old' }),
  })
  .meta({ id: 'Entitlements' });
export type Entitlements = z.infer<typeof Entitlements>;

/** From the team's state and the catalog: what the team may use now, and what a pending change will make of it. */
export function entitlementsOf(view: TeamSubscriptionView): Entitlements {
  const today = view.today;
  const order = view.seatOrder ?? null;
  const capacityOf = (plan: PlanName, on: Day, seats: number | null): z.infer<typeof Capacity> =>
    plan === 'free' ? { kind: 'free', maxMembers: freeCapacity(on) } : seats !== null ? { kind: 'seats', maxMembers: seats } : { kind: 'members', maxMembers: null };
  const change = (plan: PlanName, interval: Entitlements['interval'], effectiveOn: Day, seats: number | null) => ({
    effectiveOn, plan, interval: plan === 'free' ? null : interval, tier: tierOf(plan, effectiveOn), capacity: capacityOf(plan, effectiveOn, seats),
    restrictedAfter: isRestricted(plan, view.members, effectiveOn),
  });
  let pendingChange: Entitlements['pendingChange'] = null;
  if (view.pendingChange) pendingChange = change(view.pendingChange.plan, view.pendingChange.interval, view.pendingChange.effectiveOn, null);
  else if (view.orderedSeats) pendingChange = change(view.orderedSeats.plan, null, view.orderedSeats.startsOn, view.orderedSeats.seats);
  else if (order) pendingChange = change('free', null, order.period.end, null); // seat orders do not renew
  return {
    teamId: view.teamId, asOf: today, plan: view.plan, planName: PLAN_NAMES[view.plan], tier: tierOf(view.plan, today),
    interval: view.plan === 'free' || order ? null : view.interval, status: view.status, members: view.members,
    capacity: capacityOf(view.plan, today, order ? order.seats : null), restricted: view.restricted,
    trialEndsOn: view.trial?.end ?? null, pendingChange, maxAgeMs: ENTITLEMENTS_MAX_AGE_MS,
  };
}

/**
 * A cache of the workflow's answer per team, never older than ENTITLEMENTS_MAX_AGE_MS (counted from when its query
 * was sent). Past three quarters of that age the next caller starts a refresh in the background and still gets the cached answer,
 * so a team asked for steadily never waits on the workflow; only a first (or too old) answer is waited for, and
 * callers meanwhile share that one query. A failed query is not remembered.
 */
export function entitlementsCache(read: (teamId: string) => Promise<TeamSubscriptionView>, now: () => number = Date.now) {
  interface Entry { at: number; value: Entitlements | null; refreshing: Promise<Entitlements> | null }
  const cached = new Map<string, Entry>();
  const refresh = (teamId: string, entry: Entry): Promise<Entitlements> => {
    if (entry.refreshing) return entry.refreshing;
    const sentAt = now();
    entry.refreshing = read(teamId).then(entitlementsOf).then(
      (value) => {
        Object.assign(entry, { at: sentAt, value, refreshing: null });
        return value;
      },
      (error: unknown) => {
        entry.refreshing = null;
        throw error;
      },
    );
    return entry.refreshing;
  };
  return (teamId: string): Promise<Entitlements> => {
    let entry = cached.get(teamId);
    if (!entry) {
      entry = { at: 0, value: null, refreshing: null };
      cached.set(teamId, entry);
      if (cached.size > MAX_CACHED_TEAMS) cached.delete(cached.keys().next().value!); // the oldest team asked for
    }
    const age = now() - entry.at;
    if (entry.value && age < ENTITLEMENTS_MAX_AGE_MS) {
      if (age >= (ENTITLEMENTS_MAX_AGE_MS * 3) / 4) refresh(teamId, entry).catch(() => undefined); // the next caller waits instead
      return Promise.resolve(entry.value);
    }
    return refresh(teamId, entry);
  };
}

export function entitlementRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  const entitlements = entitlementsCache((teamId) => workflows.query(teamId, stateQuery));
  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/entitlements', tag: 'Entitlements', access: { kind: 'team', actions: ['view_billing'] },
    summary: 'What the team may use now (plan, Free capacity or seats, restricted) and what a pending change will do, and when',
    params: TeamIdParam, response: Entitlements, errors: [404],
  }, ({ team }) => entitlements(team.teamId));
  return router;
}
