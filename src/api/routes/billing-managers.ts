import { Router } from 'express';
import { z } from 'zod';
import { can } from '../../domain';
import { organizationBillingManagers, type OrganizationBillingManagers } from '../../invitations';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId, type Principal } from '../principal';
import { problem } from '../problem';
import { BillingManager, Id } from '../schemas';

export const OrganizationIdParam = z.object({ organizationId: Id.meta({ description: 'The organization' }) });

/**
 * The team authorization of the operation table knows teams only, so organization routes check here, reading the
 * caller's roles from the database on every request: a removed billing manager is refused from the next request on.
 */
export async function authorizeOrganization(ctx: ApiContext, managers: OrganizationBillingManagers, organizationId: string, principal: Principal): Promise<void> {
  if (!(await ctx.directory.organization(organizationId))) throw problem(404, `no organization ${organizationId}`, { field: 'path.organizationId' });
  const userId = actingUserId(principal);
  if (userId === null) return; // the platform
  const roles = await managers.rolesOn(organizationId, userId);
  if (!can(roles, 'manage_billing_managers')) {
    throw problem(403, `your roles on organization ${organizationId} (${roles.join(', ') || 'none'}) do not allow manage_billing_managers`, { code: 'forbidden' });
  }
}

/**
 * An organization's billing managers: they manage the billing of every team it owns. A team's own billing managers
 * are listed and removed by the member routes; both kinds are made by invitation (routes/invitations.ts).
 */
export function billingManagerRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Billing managers';
  const managers = organizationBillingManagers(ctx.db);

  operation(router, ctx, {
    method: 'get', path: '/v1/organizations/{organizationId}/billing-managers', tag, summary: "The organization's billing managers",
    access: { kind: 'user' }, params: OrganizationIdParam, response: z.array(BillingManager), errors: [403, 404],
  }, async ({ params, principal }) => {
    await authorizeOrganization(ctx, managers, params.organizationId, principal);
    return managers.list(params.organizationId);
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/organizations/{organizationId}/billing-managers/{userId}', tag, summary: 'Remove a billing manager, at once',
    access: { kind: 'user' }, params: OrganizationIdParam.extend({ userId: Id }), response: z.object({ userId: z.string() }), errors: [403, 404],
  }, async ({ params, principal }) => {
    await authorizeOrganization(ctx, managers, params.organizationId, principal);
    if (!(await managers.remove(params.organizationId, params.userId))) {
      throw problem(404, `user ${params.userId} is not a billing manager of organization ${params.organizationId}`, { field: 'path.userId' });
    }
    return { userId: params.userId };
  });

  return router;
}
