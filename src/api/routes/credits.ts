import { Router } from 'express';
import { z } from 'zod';
import { referralCredits } from '../../credits';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId } from '../principal';
import { problem } from '../problem';
import { Cents, Id, Json, TeamIdParam } from '../schemas';
import { asProblem, assertSelfOrPlatform, requestKey } from './credit-problems';

const Holdings = z.object({
  balance: Cents,
  grants: z.array(z.object({ grantId: z.string(), remaining: Cents, expiresAt: z.string() })),
});
const HistoryPage = z.object({ entries: z.array(Json), next: z.int().nullable().meta({ description: 'pass as `before` for older entries' }) });
const HistoryQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.coerce.number().int().positive().optional() });
const UserIdParam = z.object({ userId: Id });

/**
 * Referral credits (section 8): the platform reports registrations; a user reads their credits and contributes
 * them to a team; a team's billing viewers read what it holds. POSTs carry an Idempotency-Key, which also names
 * the contribution in the ledger, so a retried contribution moves the credits once.
 */
export function creditRoutes(ctx: ApiContext): Router {
  const router = Router();
  const credits = referralCredits({ db: ctx.db });
  const tag = 'Credits';

  operation(router, ctx, {
    method: 'post', path: '/v1/credits/referral-rewards', tag, access: { kind: 'platform' },
    summary: 'A user registered after an invitation: reward the inviter (once per registered user)',
    body: z.strictObject({
      registeredUserId: Id,
      inviterUserId: Id,
      channel: z.enum(['team', 'project', 'referral_link']),
      registeredAt: z.iso.datetime({ offset: false }).meta({ example: '2026-05-20T10:00:00Z' }),
    }).refine((body) => body.inviterUserId !== body.registeredUserId, { path: ['inviterUserId'], message: 'a user cannot refer themself' }),
    response: z.object({ rewarded: z.boolean(), grantId: z.string(), inviterUserId: z.string(), amount: Cents, expiresAt: z.string() }),
    status: 201,
  }, ({ body }) => credits.rewardReferral(body));

  operation(router, ctx, {
    method: 'get', path: '/v1/users/{userId}/credits', tag, summary: "The user's own credits, soonest-expiring first",
    access: { kind: 'user' }, params: UserIdParam, response: Holdings, errors: [403],
  }, async ({ params, principal }) => {
    assertSelfOrPlatform(principal, params.userId, 'reads credits');
    return credits.holdings({ userId: params.userId });
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/users/{userId}/credits/history', tag, summary: "The user's credit history, newest first",
    access: { kind: 'user' }, params: UserIdParam, query: HistoryQuery, response: HistoryPage, errors: [403],
  }, async ({ params, query, principal }) => {
    assertSelfOrPlatform(principal, params.userId, 'reads credit history');
    return credits.history({ userId: params.userId }, query);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/credits/contributions', tag,
    summary: 'Contribute some of your own credits to the team (one way; soonest-expiring first, each keeping its expiry)',
    access: { kind: 'team', actions: ['contribute_credits'] }, params: TeamIdParam,
    body: z.strictObject({ amount: Cents.min(1).max(100_000_000) }),
    response: Json, status: 201, errors: [403, 404, 409, 422],
  }, async ({ params, body, principal, req }) => {
    const userId = actingUserId(principal);
    if (!userId) throw problem(403, 'the platform holds no credits; contribute as a user (X-Acting-User)', { field: 'header.x-acting-user' });
    const contributionId = requestKey(req.get('idempotency-key'));
    return credits.contribute({ userId, teamId: params.teamId, contributionId, amount: body.amount }).catch(asProblem);
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credits', tag, summary: "The team's usable credits, soonest-expiring first",
    access: { kind: 'team', actions: ['view_billing'] }, params: TeamIdParam, response: Holdings,
  }, ({ params }) => credits.holdings({ teamId: params.teamId }));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credits/history', tag, summary: "The team's credit history (contributed, used, expired), newest first",
    access: { kind: 'team', actions: ['view_billing'] }, params: TeamIdParam, query: HistoryQuery, response: HistoryPage,
  }, ({ params, query }) => credits.history({ teamId: params.teamId }, query));

  return router;
}
