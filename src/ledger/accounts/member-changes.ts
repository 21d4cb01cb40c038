// A member added or removed is two writes in two places: the team workflow (the bill) and `team_members` (the list).
// No transaction may stay open across the workflow update, so the change is claimed first, under the identity of
// the request making it; each write after that is idempotent, and a retry of the same request finds its claim and
// completes what the first attempt began (the workflow update keeps its ID, so it is applied once).
import type { Db } from '../db';
import type { MemberRole } from './directory';

export interface MemberChange {
  teamId: string;
  userId: string;
  /** The idempotent request making the change (the same on its retries). */
  requestId: string;
  change: 'add' | 'remove';
}

/** `claimed`: this request starts the change; `resumed`: it began it before; `taken`: another request is making one. */
export type MemberChangeClaim = 'claimed' | 'resumed' | 'taken';

export function memberChanges(db: Db) {
  const row = (c: MemberChange) => ({ team_id: c.teamId, user_id: c.userId });
  return {
    async claim(c: MemberChange): Promise<MemberChangeClaim> {
      const inserted = await db('member_changes').insert({ ...row(c), request_id: c.requestId, change: c.change }).onConflict(['team_id', 'user_id']).ignore().returning('request_id');
      if (inserted.length > 0) return 'claimed';
      const held = (await db('member_changes').where(row(c)).first('request_id', 'change')) as { request_id: string; change: string } | undefined;
      return held?.request_id === c.requestId && held.change === c.change ? 'resumed' : 'taken';
    },

    /** Once the list agrees with the bill, or the workflow refused the change. */
    async release(c: MemberChange): Promise<void> {
      await db('member_changes').where({ ...row(c), request_id: c.requestId }).delete();
    },

    /** The member's role and since when: a removal's identity is the membership it ends. */
    async membership(teamId: string, userId: string): Promise<{ role: MemberRole; since: string } | null> {
      const member = (await db('team_members').where({ team_id: teamId, user_id: userId }).first('role', 'created_at')) as
        | { role: MemberRole; created_at: Date }
        | undefined;
      return member ? { role: member.role, since: member.created_at.toISOString() } : null;
    },

    /** The identity of a removal of this member that began and did not finish, if any. */
    async pendingRemoval(teamId: string, userId: string): Promise<string | null> {
      const held = (await db('member_changes').where({ team_id: teamId, user_id: userId, change: 'remove' }).first('request_id')) as { request_id: string } | undefined;
      return held?.request_id ?? null;
    },

    /** Lists the member; a retry that finds the row there already changes nothing. */
    async list(teamId: string, userId: string, role: MemberRole): Promise<void> {
      await db('team_members').insert({ team_id: teamId, user_id: userId, role }).onConflict(['team_id', 'user_id']).ignore();
    },

    async unlist(teamId: string, userId: string): Promise<void> {
      await db('team_members').where({ team_id: teamId, user_id: userId }).delete();
    },
  };
}
