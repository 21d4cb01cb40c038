import { Router } from 'express';
import { z } from 'zod';
import { isUniqueViolation } from '../../ledger/accounts/directory';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { Id, Name, Organization } from '../schemas';

/** Organizations group teams; the platform creates them. */
export function organizationRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Organizations';

  operation(router, ctx, {
    method: 'post', path: '/v1/organizations', tag, summary: 'Create an organization', access: { kind: 'platform' },
    body: z.strictObject({ id: Id.optional(), name: Name }), response: Organization, status: 201, errors: [409],
  }, async ({ body }) => {
    try {
      return await ctx.directory.createOrganization(body);
    } catch (error) {
      if (isUniqueViolation(error)) throw problem(409, `organization ${body.id} exists`, { field: 'body.id' });
      throw error;
    }
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/organizations/{organizationId}', tag, summary: 'An organization', access: { kind: 'platform' },
    params: z.object({ organizationId: Id }), response: Organization, errors: [404],
  }, async ({ params }) => {
    const organization = await ctx.directory.organization(params.organizationId);
    if (!organization) throw problem(404, `no organization ${params.organizationId}`, { field: 'path.organizationId' });
    return organization;
  });

  return router;
}
