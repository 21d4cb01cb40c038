import { Router } from 'express';
import { z } from 'zod';
import { freeCapacity, isRestricted, PLAN_NAMES, tierOf, type Day, type Plan as PlanName } from '../../domain';
import type { TeamSubscriptionView } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import type { SubscriptionReader } from '../subscription-views';
import { Day as DaySchema, Interval, Plan, TeamIdParam } from '../schemas';


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
    trialEndsOn: view.trial?.end ?? null, pendingChange,
  };
}

export function entitlementRoutes(ctx: ApiContext, subscription: SubscriptionReader): Router {
  const router = Router();
  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/entitlements', tag: 'Entitlements', access: { kind: 'team', actions: ['view_billing'] },
    summary: 'What the team may use now (plan, Free capacity or seats, restricted) and what a pending change will do, and when',
    params: TeamIdParam, response: Entitlements, errors: [404],
  }, async ({ team }) => entitlementsOf(await subscription(team.teamId)));
  return router;
}
