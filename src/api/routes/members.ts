import { Router } from 'express';
import { z } from 'zod';
import { isUniqueViolation } from '../../accounts/directory';
import { addMembersUpdate, removeMembersUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { BillingManager, Id, Member, MemberRole, TeamIdParam } from '../schemas';
import type { TeamWorkflows } from '../team-workflows';

const MemberParams = TeamIdParam.extend({ userId: Id });
const MemberCount = z.object({ members: z.int(), restricted: z.boolean() });

/**
 * Members (owner, admin, member, visitor) and billing managers. Every member counts for billing, so adding or
 * removing one is also the workflow's addMembers / removeMembers; billing managers are not members and do not count.
 * Changing who is billed for needs both the member list (view_team) and the bill (change_plan).
 */
export function memberRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  const tag = 'Members';
  const manageMembers = { kind: 'team', actions: ['view_team', 'change_plan'] } as const;

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/members', tag, summary: 'The member list', access: { kind: 'team', actions: ['view_team'] },
    params: TeamIdParam, response: z.array(Member),
  }, ({ team }) => ctx.directory.members(team.teamId));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/members', tag, summary: 'Add a member (billed from today)', access: manageMembers,
    params: TeamIdParam, body: z.strictObject({ userId: Id, role: MemberRole }), response: MemberCount, status: 201, errors: [404, 409, 422],
  }, async ({ team, body }) => {
    if (body.role === 'owner') throw problem(422, 'a team has the owner it was created with', { field: 'body.role' });
    if (!(await ctx.directory.user(body.userId))) throw problem(404, `no user ${body.userId}`, { field: 'body.userId' });
    // The row commits only if the workflow accepted the change, so the count and the list agree.
    return ctx.db.transaction(async (trx) => {
      try {
        await ctx.directory.addMember(team.teamId, body.userId, body.role, trx);
      } catch (error) {
        if (isUniqueViolation(error)) throw problem(409, `user ${body.userId} is a member already`, { field: 'body.userId', code: 'already_member' });
        throw error;
      }
      return workflows.update(team.teamId, addMembersUpdate, { count: 1 });
    });
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/teams/{teamId}/members/{userId}', tag, summary: 'Remove a member (refunded from today)', access: manageMembers,
    params: MemberParams, response: MemberCount, errors: [404, 409],
  }, ({ team, params }) =>
    ctx.db.transaction(async (trx) => {
      const role = await ctx.directory.removeMember(team.teamId, params.userId, trx);
      if (!role) throw problem(404, `user ${params.userId} is not a member`, { field: 'path.userId' });
      if (role === 'owner') throw problem(409, 'the owner cannot be removed', { field: 'path.userId', code: 'owner' });
      return workflows.update(team.teamId, removeMembersUpdate, { count: 1 });
    }),
  );

  const manageManagers = { kind: 'team', actions: ['manage_billing_managers'] } as const;

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/billing-managers', tag, summary: 'The billing managers', access: manageManagers,
    params: TeamIdParam, response: z.array(BillingManager),
  }, ({ team }) => ctx.directory.billingManagers(team.teamId));

  operation(router, ctx, {
    // People become billing managers by accepting an invitation (section 11); only the platform may add one directly.
    method: 'post', path: '/v1/teams/{teamId}/billing-managers', tag, summary: 'Make a user a billing manager (not billed), as the platform', access: { kind: 'platform' },
    params: TeamIdParam, body: z.strictObject({ userId: Id }), response: z.object({ userId: z.string() }), status: 201, errors: [404, 409],
  }, async ({ team, body }) => {
    if (!(await ctx.directory.user(body.userId))) throw problem(404, `no user ${body.userId}`, { field: 'body.userId' });
    try {
      await ctx.directory.addBillingManager(team.teamId, body.userId);
    } catch (error) {
      if (isUniqueViolation(error)) throw problem(409, `user ${body.userId} is a billing manager already`, { field: 'body.userId' });
      throw error;
    }
    return { userId: body.userId };
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/teams/{teamId}/billing-managers/{userId}', tag, summary: 'Remove a billing manager', access: manageManagers,
    params: MemberParams, response: z.object({ userId: z.string() }), errors: [404],
  }, async ({ team, params }) => {
    if (!(await ctx.directory.removeBillingManager(team.teamId, params.userId))) {
      throw problem(404, `user ${params.userId} is not a billing manager`, { field: 'path.userId' });
    }
    return { userId: params.userId };
  });

  return router;
}
