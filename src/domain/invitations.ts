// Invitations (section 11): one email address, valid 7 days, accepted only by
// a signed-in account with that email.
import { epochMs, instantFromEpochMs, MS_PER_DAY, type Instant, type Moment } from './calendar';

export const INVITATION_VALID_DAYS = 7;

export type InvitationCheck = { ok: true } | { ok: false; error: 'invalid_invitation' | 'invitation_expired'; message: string };

/** Valid while now < sentAt + 7 days. */
export function checkInvitation(input: { email: string; sentAt: Moment; now: Moment; accountEmail: string | null }): InvitationCheck {
  if (epochMs(input.now) >= epochMs(input.sentAt) + INVITATION_VALID_DAYS * MS_PER_DAY) {
    return { ok: false, error: 'invitation_expired', message: 'This invitation has expired.' };
  }
  if (input.accountEmail === null || input.accountEmail.trim().toLowerCase() !== input.email.trim().toLowerCase()) {
    return { ok: false, error: 'invalid_invitation', message: 'invalid invitation' };
  }
  return { ok: true };
}

/** An invitation makes its invitee a billing manager of one team, or of one organization (all its teams). */
export type InvitationScope = { teamId: string } | { organizationId: string };

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** The last moment an invitation sent at `sentAt` can be accepted is just before this one. */
export function invitationExpiresAt(sentAt: Moment): Instant {
  return instantFromEpochMs(epochMs(sentAt) + INVITATION_VALID_DAYS * MS_PER_DAY);
}

/**
 * Whether `account` may accept the invitation now. Accepting again by the account that accepted it is the same
 * acceptance (a retried request); a revoked invitation, or one another account accepted, is invalid for anyone.
 */
export function checkAcceptance(input: {
  invitation: { status: InvitationStatus; email: string; sentAt: Moment; acceptedBy: string | null };
  account: { userId: string; email: string } | null;
  now: Moment;
}): InvitationCheck {
  const { invitation, account } = input;
  if (invitation.status === 'accepted' && account !== null && invitation.acceptedBy === account.userId) return { ok: true };
  if (invitation.status === 'accepted' || invitation.status === 'revoked') {
    return { ok: false, error: 'invalid_invitation', message: 'invalid invitation' };
  }
  return checkInvitation({ email: invitation.email, sentAt: invitation.sentAt, now: input.now, accountEmail: account?.email ?? null });
}

/** A pending invitation past its 7 days is expired, even before its workflow's timer has closed it. */
export function invitationStatusAt(invitation: { status: InvitationStatus; expiresAt: Moment }, now: Moment): InvitationStatus {
  return invitation.status === 'pending' && epochMs(now) >= epochMs(invitation.expiresAt) ? 'expired' : invitation.status;
}
