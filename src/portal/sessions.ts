// Portal sessions. The API makes one for a team and a user and returns a URL carrying a random link token; the page
// trades that token, once, for a random cookie secret. Both are stored as sha256 only. Every session ends one hour
// after it was made: the link if unused, and the cookie it was traded for.
import { randomBytes } from 'node:crypto';
import { hashToken } from '../ledger/accounts/directory';
import { newId } from '../ledger/rows';
import type { Db } from '../ledger/db';

export const PORTAL_SESSION_MINUTES = 60;

export interface PortalSession {
  id: string;
  teamId: string;
  userId: string;
  expiresAt: Date;
  returnUrl: string | null;
}

interface Row {
  id: string;
  team_id: string;
  user_id: string;
  expires_at: Date;
  return_url: string | null;
}

const asSession = (row: Row): PortalSession => ({
  id: row.id, teamId: row.team_id, userId: row.user_id, expiresAt: new Date(row.expires_at), returnUrl: row.return_url,
});

const secret = () => randomBytes(32).toString('base64url');

export function portalSessions(db: Db) {
  return {
    /** A new session; the link token is returned once and never stored. */
    async create(input: { teamId: string; userId: string; returnUrl?: string }): Promise<PortalSession & { linkToken: string }> {
      const linkToken = secret();
      const [row] = (await db('portal_sessions')
        .insert({
          id: newId('ps'), team_id: input.teamId, user_id: input.userId, link_hash: hashToken(linkToken), return_url: input.returnUrl ?? null,
          expires_at: db.raw(`now() + interval '${PORTAL_SESSION_MINUTES} minutes'`),
        })
        .returning(['id', 'team_id', 'user_id', 'expires_at', 'return_url'])) as Row[];
      return { ...asSession(row!), linkToken };
    },

    /**
     * Trades an unused, unexpired link token for a cookie secret. One UPDATE does the check and the claim, so two
     * browsers opening the same link get one session between them. Null when the link is unknown, used or expired.
     */
    async exchange(linkToken: string): Promise<(PortalSession & { cookieSecret: string }) | null> {
      const cookieSecret = secret();
      const [row] = (await db('portal_sessions')
        .where({ link_hash: hashToken(linkToken) })
        .whereNull('exchanged_at')
        .where('expires_at', '>', db.fn.now())
        .update({ exchanged_at: db.fn.now(), cookie_hash: hashToken(cookieSecret) })
        .returning(['id', 'team_id', 'user_id', 'expires_at', 'return_url'])) as Row[];
      return row ? { ...asSession(row), cookieSecret } : null;
    },

    /** The live session a cookie stands for; null when unknown or expired. */
    async byCookie(cookieSecret: string): Promise<PortalSession | null> {
      const row = (await db('portal_sessions')
        .where({ cookie_hash: hashToken(cookieSecret) })
        .where('expires_at', '>', db.fn.now())
        .first('id', 'team_id', 'user_id', 'expires_at', 'return_url')) as Row | undefined;
      return row ? asSession(row) : null;
    },

    /** Removes sessions that ended more than a day ago. */
    async sweep(): Promise<void> {
      await db('portal_sessions').where('expires_at', '<', db.raw(`now() - interval '1 day'`)).delete();
    },
  };
}

export type PortalSessions = ReturnType<typeof portalSessions>;
