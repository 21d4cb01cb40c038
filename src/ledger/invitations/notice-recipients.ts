// Who hears of subscription changes (section 11): admins and billing managers. For a team: its owners and admins,
// its billing managers and its organization's; for an organization: its billing managers and its teams' owners
// and admins. Read from the database each time, so a removed billing manager stops hearing at once.
import type { Knex } from 'knex';
import type { DbOrTrx } from '../rows';
import { receivesBillingNotices, type Role } from '../../domain';
import type { InvitationScope } from '../../domain/invitations';

export interface BillingNoticeRecipient {
  userId: string;
  email: string;
  name: string;
  /** Why they hear of it: every role they hold in the scope. */
  roles: Role[];
}

export async function billingNoticeRecipients(db: DbOrTrx, scope: InvitationScope): Promise<BillingNoticeRecipient[]> {
  const grants = 'teamId' in scope ? teamRoleGrants(db, scope.teamId) : organizationRoleGrants(db, scope.organizationId);
  const rows = (await db.from(grants.as('g')).join('users as u', 'u.id', 'g.user_id').select('g.user_id', 'g.role', 'u.email', 'u.name')) as {
    user_id: string; role: Role; email: string; name: string;
  }[];
  const byUser = new Map<string, BillingNoticeRecipient>();
  for (const grant of rows) {
    const recipient = byUser.get(grant.user_id) ?? { userId: grant.user_id, email: grant.email, name: grant.name, roles: [] };
    if (!recipient.roles.includes(grant.role)) recipient.roles.push(grant.role);
    byUser.set(grant.user_id, recipient);
  }
  return [...byUser.values()].filter((recipient) => receivesBillingNotices(recipient.roles)).sort((a, b) => a.userId.localeCompare(b.userId));
}

/** Every (user, role) on the team, its organization's billing managers included. */
function teamRoleGrants(db: DbOrTrx, teamId: string): Knex.QueryBuilder {
  return db.select('user_id', 'role').from('team_members').where({ team_id: teamId })
    .unionAll((q) => q.select('user_id', db.raw("'billing_manager'")).from('team_billing_managers').where({ team_id: teamId }))
    .unionAll((q) => q.select('m.user_id', db.raw("'billing_manager'")).from('organization_billing_managers as m')
      .join('teams as t', 't.organization_id', 'm.organization_id').where('t.id', teamId));
}

/** Every (user, role) on the organization: its billing managers, and the roles held on its teams. */
function organizationRoleGrants(db: DbOrTrx, organizationId: string): Knex.QueryBuilder {
  return db.select('m.user_id', 'm.role').from('team_members as m').join('teams as t', 't.id', 'm.team_id').where('t.organization_id', organizationId)
    .unionAll((q) => q.select('user_id', db.raw("'billing_manager'")).from('organization_billing_managers').where({ organization_id: organizationId }));
}


/** The team's or organization's name, as emails and the invitation page write it. */
export async function scopeName(db: DbOrTrx, scope: InvitationScope): Promise<string> {
  const row = 'teamId' in scope
    ? ((await db('teams').where({ id: scope.teamId }).first('name')) as { name: string } | undefined)
    : ((await db('organizations').where({ id: scope.organizationId }).first('name')) as { name: string } | undefined);
  return row?.name ?? ('teamId' in scope ? `team ${scope.teamId}` : `organization ${scope.organizationId}`);
}
