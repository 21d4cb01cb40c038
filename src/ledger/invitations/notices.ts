// The invitation's messages, in the notifications outbox: the link to the invitee when it is sent; on acceptance,
// one message for the scope's admins and billing managers and one for the new billing manager. Keyed by the
// invitation, so a retried activity writes each once.
import { insertOnce, type DbOrTrx } from '../rows';
import { dayOf, type Instant } from '../../domain';
import { notificationRecorded, type NotificationRow } from '../outbox/ledger-events';
import { scopeColumns, type Invitation } from './invitation-rows';

export async function recordInvitationSent(db: DbOrTrx, invitation: Invitation): Promise<void> {
  await notify(db, invitation, 'sent', 'billing_manager_invited', invitation.sentAt, { recipient_email: invitation.email }, {
    expiresAt: invitation.expiresAt,
  });
}

export async function recordInvitationAccepted(db: DbOrTrx, invitation: Invitation, userId: string, at: Instant): Promise<void> {
  await notify(db, invitation, 'accepted', 'billing_manager_added', at, {}, { userId });
  await notify(db, invitation, 'accepted:invitee', 'billing_manager_invitation_accepted', at, { recipient_user_id: userId }, {});
}

async function notify(
  db: DbOrTrx,
  invitation: Invitation,
  event: string,
  kind: string,
  at: Instant,
  recipient: { recipient_email?: string; recipient_user_id?: string },
  payload: Record<string, unknown>,
): Promise<void> {
  const { row, created } = await insertOnce<NotificationRow>(db, 'notifications', {
    idempotency_key: `invitation:${invitation.invitationId}:${event}`,
    ...scopeColumns(invitation.scope),
    ...recipient,
    kind,
    on: dayOf(at),
    payload: JSON.stringify({ invitationId: invitation.invitationId, ...payload }),
  }, ['kind']);
  if (created) await notificationRecorded(db, row, at); // its email and webhook event, in the caller's transaction
}
