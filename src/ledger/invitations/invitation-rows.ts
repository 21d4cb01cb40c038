// The invitations' ledger rows: written by the API when it sends one, decided by the invitation's workflow (through
// activities). The row is what the API answers from once the workflow has ended.
import { instantOf, type DbOrTrx } from '../rows';
import { LedgerRefusal } from '../errors';
import type { Instant } from '../../domain';
import type { InvitationScope, InvitationStatus } from '../../domain/invitations';

export interface Invitation {
  invitationId: string;
  scope: InvitationScope;
  email: string;
  status: InvitationStatus;
  sentAt: Instant;
  expiresAt: Instant;
  invitedBy: string | null;
  decidedBy: string | null;
}

interface InvitationRow {
  id: string;
  team_id: string | null;
  organization_id: string | null;
  email: string;
  invited_by: string | null;
  status: InvitationStatus;
  sent_at: Date;
  expires_at: Date;
  decided_by: string | null;
}

const TABLE = 'billing_manager_invitations';

/** The scope as the columns that name it; the other one is null. */
export function scopeColumns(scope: InvitationScope): { team_id: string | null; organization_id: string | null } {
  return 'teamId' in scope ? { team_id: scope.teamId, organization_id: null } : { team_id: null, organization_id: scope.organizationId };
}

function invitationOf(row: InvitationRow): Invitation {
  return {
    invitationId: row.id,
    scope: row.team_id !== null ? { teamId: row.team_id } : { organizationId: row.organization_id! },
    email: row.email,
    status: row.status,
    sentAt: instantOf(row.sent_at),
    expiresAt: instantOf(row.expires_at),
    invitedBy: row.invited_by,
    decidedBy: row.decided_by,
  };
}

export async function insertInvitation(db: DbOrTrx, invitation: Invitation): Promise<void> {
  await db(TABLE).insert({
    id: invitation.invitationId,
    ...scopeColumns(invitation.scope),
    email: invitation.email,
    invited_by: invitation.invitedBy,
    status: invitation.status,
    sent_at: invitation.sentAt,
    expires_at: invitation.expiresAt,
  });
}

/** The invitation, if there is one with this ID (in `scope`, when given). */
export async function findInvitation(db: DbOrTrx, invitationId: string, scope?: InvitationScope): Promise<Invitation | null> {
  const row = (await db(TABLE).where({ id: invitationId, ...(scope ? scopeColumns(scope) : {}) }).first()) as InvitationRow | undefined;
  return row ? invitationOf(row) : null;
}

export async function pendingInvitations(db: DbOrTrx, scope: InvitationScope): Promise<Invitation[]> {
  const rows = (await db(TABLE).where({ ...scopeColumns(scope), status: 'pending' }).orderBy('sent_at')) as InvitationRow[];
  return rows.map(invitationOf);
}

/**
 * Writes the workflow's decision. Writing the same decision again (a retried activity) is harmless; any other
 * change of a decided invitation is a bug a retry cannot fix.
 */
export async function decideInvitation(
  db: DbOrTrx,
  decision: { invitationId: string; status: Exclude<InvitationStatus, 'pending'>; decidedBy: string | null; at: Instant },
): Promise<Invitation> {
  const [row] = (await db(TABLE)
    .where({ id: decision.invitationId })
    .andWhere((open) => open.where({ status: 'pending' }).orWhere({ status: decision.status, decided_by: decision.decidedBy }))
    .update({ status: decision.status, decided_by: decision.decidedBy, decided_at: decision.at })
    .returning('*')) as InvitationRow[];
  if (!row) {
    throw new LedgerRefusal('LedgerConflict', `invitation ${decision.invitationId} is missing or decided otherwise than ${decision.status}`, { ...decision });
  }
  return invitationOf(row);
}
