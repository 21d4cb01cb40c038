import { Router } from 'express';
import { z } from 'zod';
import { InvitationRefusal, organizationBillingManagers, type BillingManagerInvitations, type InvitationRefusalCode } from '../../invitations';
import type { InvitationScope } from '../../workflows/billing-manager-invitation-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId } from '../principal';
import { problem, ProblemError } from '../problem';
import { Email, Id, TeamIdParam } from '../schemas';
import { authorizeOrganization, OrganizationIdParam } from './billing-managers';

const Invite = z.strictObject({ emails: z.array(Email).min(1).max(50).meta({ description: 'One invitation per email, each valid 7 days' }) });
const InvitationParam = z.object({ invitationId: Id });
const Invitation = z
  .object({
    invitationId: z.string(),
    scope: z.union([z.object({ teamId: z.string() }), z.object({ organizationId: z.string() })]),
    email: z.string(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    sentAt: z.string(),
    expiresAt: z.string(),
    invitedBy: z.string().nullable(),
    decidedBy: z.string().nullable(),
  })
  .meta({ id: 'BillingManagerInvitation' });
const InvitationForInvitee = Invitation.extend({
  scopeName: z.string().meta({ description: "The team's or organization's name" }),
  invitedByName: z.string().nullable().meta({ description: 'Who sent it; null when the platform did' }),
}).meta({ id: 'BillingManagerInvitationForInvitee' });

const STATUS: Record<InvitationRefusalCode, number> = { invalid_invitation: 404, invitation_not_found: 404, invitation_expired: 410, invitation_closed: 409 };

/** A refusal as a problem; 410 is missing from problem()'s titles, hence the problem built here. */
async function refusalAsProblem<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof InvitationRefusal)) throw error;
    const status = STATUS[error.code];
    throw status === 410 ? new ProblemError({ status, title: 'Gone', detail: error.message, code: error.code }) : problem(status, error.message, { code: error.code });
  }
}

/**
 * Billing-manager invitations to a team or to an organization: invite one or more emails, list the pending ones,
 * revoke one; and accept, by the signed-in account of the invited email. Each invitation is its own workflow.
 */
export function invitationRoutes(ctx: ApiContext, invitations: BillingManagerInvitations): Router {
  const router = Router();
  const tag = 'Billing-manager invitations';
  const managers = organizationBillingManagers(ctx.db);

  // Team invitations: the operation table authorizes (manage_billing_managers on the team).
  const teamAccess = { kind: 'team', actions: ['manage_billing_managers'] } as const;
  const teamPath = '/v1/teams/{teamId}/billing-manager-invitations';
  const teamScope = (teamId: string): InvitationScope => ({ teamId });

  operation(router, ctx, {
    method: 'post', path: teamPath, tag, summary: 'Invite billing managers of the team', access: teamAccess,
    params: TeamIdParam, body: Invite, response: z.array(Invitation), status: 201,
  }, ({ team, body, principal }) => invitations.invite(teamScope(team.teamId), body.emails, actingUserId(principal)));

  operation(router, ctx, {
    method: 'get', path: teamPath, tag, summary: "The team's pending invitations", access: teamAccess, params: TeamIdParam, response: z.array(Invitation),
  }, ({ team }) => invitations.list(teamScope(team.teamId)));

  operation(router, ctx, {
    method: 'delete', path: `${teamPath}/{invitationId}`, tag, summary: 'Revoke an invitation', access: teamAccess,
    params: TeamIdParam.extend(InvitationParam.shape), response: Invitation, errors: [404, 409],
  }, ({ team, params, principal }) => refusalAsProblem(invitations.revoke(teamScope(team.teamId), params.invitationId, actingUserId(principal))));

  // Organization invitations: authorized here, from the caller's organization roles.
  const organizationPath = '/v1/organizations/{organizationId}/billing-manager-invitations';
  const userAccess = { kind: 'user' } as const;

  operation(router, ctx, {
    method: 'post', path: organizationPath, tag, summary: 'Invite billing managers of the organization', access: userAccess,
    params: OrganizationIdParam, body: Invite, response: z.array(Invitation), status: 201, errors: [403, 404],
  }, async ({ params, body, principal }) => {
    await authorizeOrganization(ctx, managers, params.organizationId, principal);
    return invitations.invite({ organizationId: params.organizationId }, body.emails, actingUserId(principal));
  });

  operation(router, ctx, {
    method: 'get', path: organizationPath, tag, summary: "The organization's pending invitations", access: userAccess,
    params: OrganizationIdParam, response: z.array(Invitation), errors: [403, 404],
  }, async ({ params, principal }) => {
    await authorizeOrganization(ctx, managers, params.organizationId, principal);
    return invitations.list({ organizationId: params.organizationId });
  });

  operation(router, ctx, {
    method: 'delete', path: `${organizationPath}/{invitationId}`, tag, summary: 'Revoke an invitation', access: userAccess,
    params: OrganizationIdParam.extend(InvitationParam.shape), response: Invitation, errors: [403, 404, 409],
  }, async ({ params, principal }) => {
    await authorizeOrganization(ctx, managers, params.organizationId, principal);
    return refusalAsProblem(invitations.revoke({ organizationId: params.organizationId }, params.invitationId, actingUserId(principal)));
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/billing-manager-invitations/{invitationId}/accept', tag, access: userAccess,
    summary: 'Accept an invitation, as the signed-in account of the invited email ("invalid invitation" for any other)',
    params: InvitationParam, response: Invitation, errors: [404, 410],
  }, ({ params, principal }) => refusalAsProblem(invitations.accept(params.invitationId, actingUserId(principal))));

  // The invitee's side, as the portal's invitation page shows it: the invitation itself, and declining it.
  operation(router, ctx, {
    method: 'get', path: '/v1/billing-manager-invitations/{invitationId}', tag, access: userAccess,
    summary: 'The invitation, to the signed-in account of the invited email ("invalid invitation" for any other); `expired` once past its 7 days',
    params: InvitationParam, response: InvitationForInvitee, errors: [404],
  }, ({ params, principal }) => refusalAsProblem(invitations.view(params.invitationId, actingUserId(principal))));

  operation(router, ctx, {
    method: 'post', path: '/v1/billing-manager-invitations/{invitationId}/decline', tag, access: userAccess,
    summary: 'Decline an invitation, as the signed-in account of the invited email: it is closed (`revoked`, decided by the invitee)',
    params: InvitationParam, response: Invitation, errors: [404, 409, 410],
  }, ({ params, principal }) => refusalAsProblem(invitations.decline(params.invitationId, actingUserId(principal))));

  return router;
}
