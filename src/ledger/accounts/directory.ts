// Who is who: organizations, users, their API tokens and their roles on teams. The API's own records, beside the
// ledger; nothing here moves money. Tokens are random and kept only as a sha256, so the table cannot be replayed.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db';
import { newId } from '../rows';
import type { Role } from '../../domain';

export type MemberRole = Exclude<Role, 'billing_manager'>;
export const MEMBER_ROLES: readonly MemberRole[] = ['owner', 'admin', 'member', 'visitor'];

export interface Organization {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
}

export interface ApiToken {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface BillingManager {
  userId: string;
  email: string;
  name: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Postgres' unique_violation: the row is there already. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

export function createDirectory(db: Db) {
  return {
    async createOrganization(input: { id?: string; name: string }): Promise<Organization> {
      const row = { id: input.id ?? newId('org'), name: input.name };
      await db('organizations').insert(row);
      return row;
    },

    async organization(id: string): Promise<Organization | null> {
      return ((await db('organizations').where({ id }).first('id', 'name')) as Organization | undefined) ?? null;
    },

    async createUser(input: { id?: string; email: string; name: string }): Promise<User> {
      const row = { id: input.id ?? newId('usr'), email: input.email.toLowerCase(), name: input.name };
      await db('users').insert(row);
      return row;
    },

    async user(id: string): Promise<User | null> {
      return ((await db('users').where({ id }).first('id', 'email', 'name')) as User | undefined) ?? null;
    },

    /** A new token for the user; the plain token is returned once and never stored. */
    async issueToken(userId: string, label: string): Promise<{ id: string; token: string; label: string }> {
      const token = `sbu_${randomBytes(32).toString('base64url')}`;
      const id = newId('tok');
      await db('api_tokens').insert({ id, user_id: userId, token_hash: hashToken(token), label });
      return { id, token, label };
    },

    /** A user's tokens, newest first: never the token itself, which is not kept. */
    async tokens(userId: string): Promise<ApiToken[]> {
      const rows = (await db('api_tokens').where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }, 'id'])
        .select('id', 'label', 'created_at', 'revoked_at')) as { id: string; label: string; created_at: Date; revoked_at: Date | null }[];
      return rows.map((row) => ({ id: row.id, label: row.label, createdAt: row.created_at.toISOString(), revokedAt: row.revoked_at?.toISOString() ?? null }));
    },

    /** Revokes a token of the user; every request with it is refused from now on (tokens are looked up per request). */
    async revokeToken(userId: string, tokenId: string): Promise<ApiToken | null> {
      await db('api_tokens').where({ id: tokenId, user_id: userId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      return (await this.tokens(userId)).find((token) => token.id === tokenId) ?? null;
    },

    async userIdForToken(token: string): Promise<string | null> {
      const row = (await db('api_tokens').where({ token_hash: hashToken(token) }).whereNull('revoked_at').first('user_id')) as
        | { user_id: string }
        | undefined;
      return row?.user_id ?? null;
    },

    /** A user's roles on a team: their member role, and `billing_manager` if they are one. */
    async rolesOn(teamId: string, userId: string): Promise<Role[]> {
      // Read on every request, never cached: removing a billing manager takes effect at once.
      const [member, manager, organizationManager] = await Promise.all([
        db('team_members').where({ team_id: teamId, user_id: userId }).first('role') as Promise<{ role: MemberRole } | undefined>,
        db('team_billing_managers').where({ team_id: teamId, user_id: userId }).first('user_id'),
        // A billing manager of the organization that owns the team manages the team's billing too.
        db('organization_billing_managers')
          .join('teams', 'teams.organization_id', 'organization_billing_managers.organization_id')
          .where({ 'teams.id': teamId, 'organization_billing_managers.user_id': userId })
          .first('organization_billing_managers.user_id'),
      ]);
      const roles: Role[] = member ? [member.role] : [];
      if (manager || organizationManager) roles.push('billing_manager');
      return roles;
    },

    async members(teamId: string): Promise<TeamMember[]> {
      return (await db('team_members')
        .join('users', 'users.id', 'team_members.user_id')
        .where({ team_id: teamId })
        .orderBy('team_members.created_at')
        .select({ userId: 'users.id', email: 'users.email', name: 'users.name', role: 'team_members.role' })) as TeamMember[];
    },

    /** Membership writes take the caller's transaction, so a refused workflow update leaves no row behind. */
    async addMember(teamId: string, userId: string, role: MemberRole, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('team_members').insert({ team_id: teamId, user_id: userId, role });
    },

    async removeMember(teamId: string, userId: string, trx: Knex | Knex.Transaction = db): Promise<MemberRole | null> {
      const [row] = (await trx('team_members').where({ team_id: teamId, user_id: userId }).delete().returning('role')) as { role: MemberRole }[];
      return row?.role ?? null;
    },

    async owners(teamId: string): Promise<number> {
      const [row] = (await db('team_members').where({ team_id: teamId, role: 'owner' }).count({ n: '*' })) as { n: string | number }[];
      return Number(row?.n ?? 0);
    },

    async addBillingManager(teamId: string, userId: string): Promise<void> {
      await db('team_billing_managers').insert({ team_id: teamId, user_id: userId });
    },

    async removeBillingManager(teamId: string, userId: string): Promise<boolean> {
      return (await db('team_billing_managers').where({ team_id: teamId, user_id: userId }).delete()) > 0;
    },

    async billingManagers(teamId: string): Promise<BillingManager[]> {
      return (await db('team_billing_managers')
        .join('users', 'users.id', 'team_billing_managers.user_id')
        .where({ team_id: teamId })
        .orderBy('team_billing_managers.created_at')
        .select({ userId: 'users.id', email: 'users.email', name: 'users.name' })) as BillingManager[];
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
