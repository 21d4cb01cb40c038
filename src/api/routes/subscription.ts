import { Router } from 'express';
import { z } from 'zod';
import {
  cancelUpdate,
  changePlanUpdate,
  startTrialUpdate,
  subscribeUpdate,
  upcomingInvoiceQuery,
  withdrawPendingChangeUpdate,
} from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { pendingChangePriceInForce, quoteAtPriceInForce, type Quote } from '../quotes';
import { taxOf, teamTaxRate, withTax } from '../tax-estimates';
import { ChargedInvoice, Count, Day, Interval as IntervalSchema, InvoiceLine, Json, PendingChange, Plan as PlanSchema, PlanChange, PlanSelection, Subscription, TeamIdParam } from '../schemas';
import type { SubscriptionReader } from '../subscription-views';
import type { TeamWorkflows } from '../team-workflows';

const refusals = [404, 409, 422] as const;

/** The subscription: each action is one update of the team's workflow, each read one of its queries. */
export function subscriptionRoutes(ctx: ApiContext, workflows: TeamWorkflows, subscription: SubscriptionReader): Router {
  const router = Router();
  const tag = 'Subscription';
  const view = { kind: 'team', actions: ['view_billing'] } as const;
  const change = { kind: 'team', actions: ['change_plan'] } as const;

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/subscription', tag, summary: 'Plan, status, period, trial, pending change', access: view,
    params: TeamIdParam, response: Subscription,
    query: z.object({
      live: z.enum(['true', 'false']).default('false').transform((live) => live === 'true')
        .meta({ description: 'true asks the workflow itself (slower; `busy` says whether it is working on a request), instead of the state it published last' }),
    }),
  }, ({ team, query }) => subscription(team.teamId, query));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/subscription/trial', tag, summary: 'Start the 14-day trial (needs a payment method; once per team)',
    access: change, params: TeamIdParam, body: PlanSelection, response: z.object({ plan: PlanSchema, interval: IntervalSchema, trialEnd: Day }), errors: refusals,
  }, ({ team, body }) => workflows.update(team.teamId, startTrialUpdate, body));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/subscription', tag, summary: 'Subscribe now, without a trial: the first period is charged today',
    access: change, params: TeamIdParam, body: PlanSelection, response: ChargedInvoice, errors: refusals,
  }, ({ team, body }) => workflows.update(team.teamId, subscribeUpdate, body));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/subscription/plan-change', tag, summary: 'Change plan and/or interval (section 6); plan free cancels',
    access: change, params: TeamIdParam, body: PlanChange, response: Json.meta({ description: 'timing trial | immediate (with invoice) | deferred | split' }), errors: refusals,
  }, ({ team, body }) => workflows.update(team.teamId, changePlanUpdate, body));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/subscription/withdraw-pending-change', tag, summary: 'Withdraw the pending (deferred) change',
    access: change, params: TeamIdParam, response: PendingChange, errors: refusals,
  }, ({ team }) => workflows.update(team.teamId, withdrawPendingChangeUpdate));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/subscription/cancel', tag, summary: 'Cancel at the end of the period or trial; Free from then',
    access: change, params: TeamIdParam, response: PendingChange, errors: refusals,
  }, ({ team }) => workflows.update(team.teamId, cancelUpdate));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/upcoming-invoice', tag, summary: 'The next scheduled charge, line by line (null when none)',
    access: view, params: TeamIdParam,
    response: z.object({
      on: Day, reason: z.string(), lines: z.array(InvoiceLine), net: z.int(), tax: z.int(), total: z.int().meta({ description: 'net + tax' }),
      taxRateBasisPoints: z.int(), taxTreatment: z.string(), refundsToBalance: z.array(InvoiceLine),
      refundTax: z.int().meta({ description: "the tax the refunds' credit note adds to the balance" }),
    }).nullable(),
  }, async ({ team }) => {
    // A renewal applying a pending change charges the price in force on its day (section 14): read here, as it will be then.
    const pendingChangePrice = await pendingChangePriceInForce(ctx.db, (await subscription(team.teamId)).pendingChange);
    const upcoming = await workflows.query(team.teamId, upcomingInvoiceQuery, pendingChangePrice);
    if (!upcoming) return null;
    const rate = await teamTaxRate(ctx.db, ctx.seller, team.teamId, upcoming.on);
    return { ...withTax(upcoming, rate), refundTax: taxOf(upcoming.refundsToBalance, rate) };
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/quotes', tag, summary: 'What a plan, interval or member change would cost if made now (nothing is changed)',
    access: view, params: TeamIdParam, errors: [409, 422],
    body: z
      .strictObject({ plan: PlanSchema.optional(), interval: IntervalSchema.optional(), addMembers: Count.optional(), removeMembers: Count.optional() })
      .refine((q) => Object.values(q).some((value) => value !== undefined), { message: 'name a plan, an interval, addMembers or removeMembers' }),
    response: Json.meta({ description: '{ today, planChange: { timing, invoice (net, tax, total), pendingChange, pendingPrice (the version a pending change takes on its day) } | null, members: { charges, refunds, chargeTax, refundTax } | null }' }),
  }, async ({ team, body }) => taxedQuote(await quoteAtPriceInForce(ctx.db, await subscription(team.teamId), body), (on) => teamTaxRate(ctx.db, ctx.seller, team.teamId, on)));

  return router;
}

/** The quote with the tax each invoice it shows will carry (section 13). */
async function taxedQuote(q: Quote, rateOn: (on: string) => ReturnType<typeof teamTaxRate>) {
  const rate = await rateOn(q.today);
  const invoice = q.planChange?.invoice;
  return {
    ...q,
    planChange: q.planChange && { ...q.planChange, invoice: invoice ? withTax(invoice, invoice.on === q.today ? rate : await rateOn(invoice.on)) : null },
    members: q.members && { ...q.members, chargeTax: taxOf(q.members.charges, rate), refundTax: taxOf(q.members.refunds, rate) },
  };
}
