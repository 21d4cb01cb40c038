import { Router } from 'express';
import { z } from 'zod';
import { isUniqueViolation } from '../../ledger/accounts/directory';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId, type Principal } from '../principal';
import { problem } from '../problem';
import { Email, Id, Name, User } from '../schemas';

const ApiToken = z
  .object({ id: z.string(), label: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiToken' });

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

  const UserParam = z.object({ userId: Id });
  /** A user manages their own tokens; the platform anyone's. */
  async function tokenOwner(principal: Principal, userId: string): Promise<void> {
    const platform = principal.kind === 'service' && principal.actingUserId === null;
    if (!platform && actingUserId(principal) !== userId) throw problem(403, 'a user manages their own tokens only');
    if (!(await ctx.directory.user(userId))) throw problem(404, `no user ${userId}`, { field: 'path.userId' });
  }

  operation(router, ctx, {
    method: 'post', path: '/v1/users/{userId}/tokens', tag, summary: "Issue an API token (shown once; only its hash is kept)",
    access: { kind: 'user' }, params: UserParam, body: z.strictObject({ label: Name }),
    response: z.object({ id: z.string(), token: z.string(), label: z.string() }), status: 201, errors: [403, 404],
  }, async ({ params, body, principal }) => {
    await tokenOwner(principal, params.userId);
    return ctx.directory.issueToken(params.userId, body.label);
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/users/{userId}/tokens', tag, summary: "A user's API tokens, newest first (labels and dates; the tokens themselves are not kept)",
    access: { kind: 'user' }, params: UserParam, response: z.array(ApiToken), errors: [403, 404],
  }, async ({ params, principal }) => {
    await tokenOwner(principal, params.userId);
    return ctx.directory.tokens(params.userId);
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/users/{userId}/tokens/{tokenId}', tag, summary: 'Revoke an API token: every request with it is refused (401) from now on',
    access: { kind: 'user' }, params: UserParam.extend({ tokenId: Id }), response: ApiToken, errors: [403, 404],
  }, async ({ params, principal }) => {
    await tokenOwner(principal, params.userId);
    const token = await ctx.directory.revokeToken(params.userId, params.tokenId);
    if (!token) throw problem(404, `user ${params.userId} has no token ${params.tokenId}`, { field: 'path.tokenId' });
    return token;
  });

  return router;
}
