import { Router } from 'express';
import { z } from 'zod';
import { isUniqueViolation } from '../../accounts/directory';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId } from '../principal';
import { problem } from '../problem';
import { Email, Id, Name, User } from '../schemas';

/** Users of the SaaS, as far as billing needs them, and their API tokens. */
export function userRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Users';

  operation(router, ctx, {
    method: 'post', path: '/v1/users', tag, summary: 'Register a user', access: { kind: 'platform' },
    body: z.strictObject({ id: Id.optional(), email: Email, name: Name }), response: User, status: 201, errors: [409],
  }, async ({ body }) => {
    try {
      return await ctx.directory.createUser(body);
    } catch (error) {
      if (isUniqueViolation(error)) throw problem(409, 'a user with this id or email exists', { field: body.id ? 'body.id' : 'body.email' });
      throw error;
    }
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/users/me', tag, summary: 'The user the request acts for', access: { kind: 'user' }, response: User, errors: [404],
  }, async ({ principal }) => {
    const userId = actingUserId(principal);
    const user = userId ? await ctx.directory.user(userId) : null;
    if (!user) throw problem(404, 'the platform acts for no user; send X-Acting-User', { field: 'header.x-acting-user' });
    return user;
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/users/{userId}/tokens', tag, summary: "Issue an API token (shown once; only its hash is kept)",
    access: { kind: 'user' }, params: z.object({ userId: Id }), body: z.strictObject({ label: Name }),
    response: z.object({ id: z.string(), token: z.string(), label: z.string() }), status: 201, errors: [403, 404],
  }, async ({ params, body, principal }) => {
    const platform = principal.kind === 'service' && principal.actingUserId === null;
    if (!platform && actingUserId(principal) !== params.userId) throw problem(403, 'a user issues tokens for themselves only');
    if (!(await ctx.directory.user(params.userId))) throw problem(404, `no user ${params.userId}`, { field: 'path.userId' });
    return ctx.directory.issueToken(params.userId, body.label);
  });

  return router;
}
