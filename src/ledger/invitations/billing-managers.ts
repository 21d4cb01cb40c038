// Billing managers: of a team (the API's team_billing_managers) or of an organization, which makes them billing
// managers of every team it owns. Neither kind is a member: they never appear in member lists.
import type { DbOrTrx } from '../rows';
import type { Role } from '../../domain';
import type { InvitationScope } from '../../domain/invitations';

export interface OrganizationBillingManager {
  userId: string;
  email: string;
  name: string;
}

/** Idempotent: an acceptance retried, or of a second invitation, leaves one billing manager. */
export async function grantBillingManager(db: DbOrTrx, scope: InvitationScope, userId: string): Promise<void> {
  const [table, row] = 'teamId' in scope
    ? ['team_billing_managers', { team_id: scope.teamId, user_id: userId }]
    : ['organization_billing_managers', { organization_id: scope.organizationId, user_id: userId }];
  await db(table).insert(row).onConflict().ignore();
}

export function organizationBillingManagers(db: DbOrTrx) {
  return {
    list(organizationId: string): Promise<OrganizationBillingManager[]> {
      return db('organization_billing_managers')
        .join('users', 'users.id', 'organization_billing_managers.user_id')
        .where({ organization_id: organizationId })
        .orderBy('organization_billing_managers.created_at')
        .select({ userId: 'users.id', email: 'users.email', name: 'users.name' }) as Promise<OrganizationBillingManager[]>;
    },

    /** Takes effect at once: authorization reads roles from here on every request. */
    async remove(organizationId: string, userId: string): Promise<boolean> {
      return (await db('organization_billing_managers').where({ organization_id: organizationId, user_id: userId }).delete()) > 0;
    },

    /**
     * A user's roles on an organization: `billing_manager` if they are one, and the owner or admin roles they
     * hold on its teams (there is no organization membership of its own).
     */
    async rolesOn(organizationId: string, userId: string): Promise<Role[]> {
      const [manager, teamRoles] = await Promise.all([
        db('organization_billing_managers').where({ organization_id: organizationId, user_id: userId }).first('user_id'),
        db('team_members')
          .join('teams', 'teams.id', 'team_members.team_id')
          .where({ 'teams.organization_id': organizationId, 'team_members.user_id': userId })
          .whereIn('team_members.role', ['owner', 'admin'])
          .distinct('team_members.role') as Promise<{ role: Role }[]>,
      ]);
      const roles = teamRoles.map(({ role }) => role);
      return manager ? [...roles, 'billing_manager'] : roles;
    },

    /** For the team authorization: a billing manager of the team's organization is one of the team's too. */
    async managesTeam(teamId: string, userId: string): Promise<boolean> {
      const row = await db('organization_billing_managers')
        .join('teams', 'teams.organization_id', 'organization_billing_managers.organization_id')
        .where({ 'teams.id': teamId, 'organization_billing_managers.user_id': userId })
        .first('organization_billing_managers.user_id');
      return row !== undefined;
    },
  };
}

export type OrganizationBillingManagers = ReturnType<typeof organizationBillingManagers>;
