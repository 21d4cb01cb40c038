// Why an invitation request was refused, as a stable code the API turns into a problem.
export type InvitationRefusalCode =
  /** Unknown, revoked, taken by another account, or not for the signed-in account: one answer for all of them. */
  | 'invalid_invitation'
  | 'invitation_expired'
  /** Accepted or expired: too late to revoke. */
  | 'invitation_closed'
  /** No such invitation in the team or organization named. */
  | 'invitation_not_found';

export class InvitationRefusal extends Error {
  constructor(
    readonly code: InvitationRefusalCode,
    message: string,
  ) {
    super(message);
  }
}
