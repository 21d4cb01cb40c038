// Invitations (section 11): one email address, valid 7 days, accepted only by
// a signed-in account with that email.
import { epochMs, MS_PER_DAY, type Moment } from './calendar';

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
