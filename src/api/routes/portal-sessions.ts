import { Router } from 'express';
import { z } from 'zod';
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
 */
export function portalSessionRoutes(ctx: ApiContext): Router {
  const router = Router();
  const sessions = portalSessions(ctx.db);

  operation(router, ctx, {
    method: 'post', path: '/v1/portal-sessions', tag: 'Billing portal', access: { kind: 'user' }, status: 201, errors: [403, 404],
    summary: 'A billing-portal URL for the acting user on a team: valid one hour, usable once, by that user only (service token + X-Acting-User)',
    body: z.strictObject({ teamId: Id, returnUrl: ReturnUrl.optional() }),
    response: z.object({ id: z.string(), url: z.string(), expiresAt: z.string() }),
  }, async ({ body, principal, req }) => {
    // The portal trusts whoever holds the URL, so only the backend that signed the user in may make one.
    if (principal.kind !== 'service' || principal.actingUserId === null) {
      throw problem(403, 'portal sessions are made by the service token acting for a user (X-Acting-User)', { code: 'forbidden' });
    }
    if (!(await ctx.db('teams').where({ id: body.teamId }).first('id'))) throw problem(404, `no team ${body.teamId}`, { field: 'body.teamId' });
    const roles = await ctx.directory.rolesOn(body.teamId, principal.actingUserId);
    if (roles.length === 0) throw problem(403, `user ${principal.actingUserId} has no role on team ${body.teamId}`, { code: 'forbidden' });
    const session = await sessions.create({ teamId: body.teamId, userId: principal.actingUserId, ...(body.returnUrl ? { returnUrl: body.returnUrl } : {}) });
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return { id: session.id, url: `${base}/portal/s/${session.linkToken}`, expiresAt: session.expiresAt.toISOString() };
  });

  return router;
}
