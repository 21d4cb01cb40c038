import { Router } from 'express';
import { z } from 'zod';
import { findInvitation } from '../../ledger/invitations/invitation-rows';
import { portalSessions } from '../../portal/sessions';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { Id } from '../schemas';

const ReturnUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .meta({ description: "Your app's page the portal's back link goes to" });

/**
 * The hosted billing portal (issue 13): the SaaS backend, acting for a signed-in user, asks for a session and sends
 * the user's browser to its URL. The URL is good for one hour and one use; the page then works with a cookie.
 * A session for an invitation (issue 25) is the invitee's way in before they hold any role: its URL opens the
 * invitation's page, which shows it only to the account it was sent to.
 */
export function portalSessionRoutes(ctx: ApiContext): Router {
  const router = Router();
  const sessions = portalSessions(ctx.db);

  operation(router, ctx, {
    method: 'post', path: '/v1/portal-sessions', tag: 'Billing portal', access: { kind: 'user' }, status: 201, errors: [403, 404],
    summary: 'A billing-portal URL for the acting user on a team: valid one hour, usable once, by that user only (service token + X-Acting-User)',
    body: z.strictObject({
      teamId: Id.optional().meta({ description: 'The team whose billing the session opens' }),
      invitationId: Id.optional().meta({ description: "Instead of teamId: the billing-manager invitation whose page the session opens (the invitation email's link sends a person who is not signed in to PORTAL_SIGN_IN_URL, which asks for this)" }),
      returnUrl: ReturnUrl.optional(),
    }),
    response: z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }),
  }, async ({ body, principal, req }) => {
    // The portal trusts whoever holds the URL, so only the backend that signed the user in may make one.
    if (principal.kind !== 'service' || principal.actingUserId === null) {
      throw problem(403, 'portal sessions are made by the service token acting for a user (X-Acting-User)', { code: 'forbidden' });
    }
    if ((body.teamId === undefined) === (body.invitationId === undefined)) throw problem(400, 'give either teamId or invitationId', { field: 'body.teamId' });
    let teamId: string;
    let opens = '';
    if (body.invitationId !== undefined) {
      const invitation = await findInvitation(ctx.db, body.invitationId);
      if (!invitation) throw problem(404, `no invitation ${body.invitationId}`, { field: 'body.invitationId' });
      // The session's team is the invitation's (an organization's ID for an organization's invitation): the user has no
      // role there yet, and every page checks the roles the API reports, so the session opens nothing else until then.
      teamId = 'teamId' in invitation.scope ? invitation.scope.teamId : invitation.scope.organizationId;
      opens = `?invitation=${encodeURIComponent(body.invitationId)}`;
    } else {
      teamId = body.teamId!;
      if (!(await ctx.db('teams').where({ id: teamId }).first('id'))) throw problem(404, `no team ${teamId}`, { field: 'body.teamId' });
      const roles = await ctx.directory.rolesOn(teamId, principal.actingUserId);
      if (roles.length === 0) throw problem(403, `user ${principal.actingUserId} has no role on team ${teamId}`, { code: 'forbidden' });
    }
    const session = await sessions.create({ teamId, userId: principal.actingUserId, ...(body.returnUrl ? { returnUrl: body.returnUrl } : {}) });
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return { id: session.id, url: `${base}/portal/s/${session.linkToken}${opens}`, expiresAt: session.expiresAt.toISOString() };
  });

  return router;
}
