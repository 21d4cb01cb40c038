/**
 * Who is calling, as the authentication middleware found it. Route handlers read `req.principal`.
 * - `user`: a person's API token.
 * - `service`: the SaaS backend's service token, acting as the platform, or for a user (`X-Acting-User`).
 */
export type Principal =
  | { kind: 'user'; userId: string }
  | { kind: 'service'; actingUserId: string | null };

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** Set per request for logs and problem bodies. */
    requestId?: string;
  }
}

/** The user a request acts for, if any: the token's owner, or the service token's `X-Acting-User`. */
export function actingUserId(principal: Principal | undefined): string | null {
  if (!principal) return null;
  return principal.kind === 'user' ? principal.userId : principal.actingUserId;
}
