import { Router } from 'express';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { isUniqueViolation } from '../../ledger/accounts/directory';
import { memberChanges, type MemberChange, type MemberChangeClaim } from '../../ledger/accounts/member-changes';
import { addMembersUpdate, removeMembersUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { idempotentRequestId, runAsIdempotentRequest } from '../idempotent-request';
import { ProblemError, problem } from '../problem';
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
  const changes = memberChanges(ctx.db);

  /**
   * A member change: claimed, then the workflow updated, then the list written, then the claim released. A refusal
   * (4xx) releases the claim at once; a failure keeps it, so a retry of the same request resumes and completes.
   */
  async function changeMember<T>(change: MemberChange, make: (claim: MemberChangeClaim) => Promise<T>): Promise<T> {
    const claim = await changes.claim(change);
    if (claim === 'taken') {
      throw problem(409, `another request is changing user ${change.userId}'s membership; retry it with its Idempotency-Key`, { field: change.change === 'add' ? 'body.userId' : 'path.userId', code: 'member_change_in_progress' });
    }
    try {
      const result = await make(claim);
      await changes.release(change);
      return result;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status < 500) await changes.release(change);
      throw error;
    }
  }

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
    // Every POST runs as an idempotent request (the Idempotency-Key middleware): its identity names the change.
    const requestId = idempotentRequestId()!;
    return changeMember({ teamId: team.teamId, userId: body.userId, change: 'add', requestId }, async (claim) => {
      if (claim === 'claimed' && (await changes.membership(team.teamId, body.userId))) {
        throw problem(409, `user ${body.userId} is a member already`, { field: 'body.userId', code: 'already_member' });
      }
      const count = await workflows.update(team.teamId, addMembersUpdate, { count: 1 });
      await changes.list(team.teamId, body.userId, body.role);
      return count;
    });
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/teams/{teamId}/members/{userId}', tag, summary: 'Remove a member (refunded from today)', access: manageMembers,
    params: MemberParams, response: MemberCount, errors: [404, 409],
  }, async ({ team, params }) => {
    const teamId = team.teamId;
    // A DELETE has no Idempotency-Key: the membership it ends names it, and a removal left half done is resumed.
    const membership = await changes.membership(teamId, params.userId);
    const requestId = (await changes.pendingRemoval(teamId, params.userId))
      ?? (membership && createHash('sha256').update(JSON.stringify(['remove', teamId, params.userId, membership.since])).digest('base64url'));
    if (!requestId) throw problem(404, `user ${params.userId} is not a member`, { field: 'path.userId' });
    if (membership?.role === 'owner') throw problem(409, 'the owner cannot be removed', { field: 'path.userId', code: 'owner' });
    return changeMember({ teamId, userId: params.userId, change: 'remove', requestId }, async () => {
      const count = await runAsIdempotentRequest(requestId, () => workflows.update(teamId, removeMembersUpdate, { count: 1 }));
      await changes.unlist(teamId, params.userId);
      return count;
    });
  });

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
