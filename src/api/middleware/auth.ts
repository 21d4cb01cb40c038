// Authentication: `Authorization: Bearer <token>`. A user's API token (stored as its sha256), or the SaaS backend's
// service token, which acts as the platform, or for a user named by `X-Acting-User`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ApiContext } from '../context';
import { problem } from '../problem';

const digest = (text: string) => createHash('sha256').update(text).digest();

export function authenticate(ctx: ApiContext): RequestHandler {
  const service = digest(ctx.serviceToken);
  return async (req, _res, next) => {
    try {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
      if (!match) throw problem(401, 'send an API token as `Authorization: Bearer <token>`', { field: 'header.authorization' });
      const token = match[1]!;
      const acting = req.get('x-acting-user');
      // Compared as digests of equal length, in constant time.
      if (timingSafeEqual(digest(token), service)) {
        if (acting === undefined) {
          req.principal = { kind: 'service', actingUserId: null };
        } else {
          if (!/^[\w-]{1,64}$/.test(acting) || !(await ctx.directory.user(acting))) {
            throw problem(401, 'X-Acting-User names no user of the engine', { field: 'header.x-acting-user' });
          }
          req.principal = { kind: 'service', actingUserId: acting };
        }
        return next();
      }
      const userId = await ctx.directory.userIdForToken(token);
      if (!userId) throw problem(401, 'the API token is unknown or revoked', { field: 'header.authorization' });
      if (acting !== undefined) throw problem(400, 'only the service token may act for another user', { field: 'header.x-acting-user' });
      req.principal = { kind: 'user', userId };
      next();
    } catch (error) {
      next(error);
    }
  };
}
