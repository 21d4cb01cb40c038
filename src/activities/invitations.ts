import type { Instant } from '../domain/calendar';
import { grantBillingManager } from '../ledger/invitations/billing-managers';
import { billingNoticeRecipients, type BillingNoticeRecipient } from '../ledger/invitations/notice-recipients';
import { decideInvitation } from '../ledger/invitations/invitation-rows';
import { recordInvitationAccepted } from '../ledger/invitations/notices';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';
import { invitationExpired } from '../ledger/outbox/ledger-events';
import { relayFromActivity } from './relay';

export interface AcceptBillingManagerInvitationInput {
  invitationId: string;
  userId: string;
  /** The workflow's time of the decision. */
  at: Instant;
}

export interface CloseBillingManagerInvitationInput {
  invitationId: string;
  status: 'revoked' | 'expired';
  /** Who revoked it; null when it expired, or the platform revoked it. */
  decidedBy: string | null;
  at: Instant;
}

export function invitationActivities({ db }: BillingDependencies) {
  return {
    /** The invitee becomes a billing manager, the invitation is closed and everyone concerned told: all or nothing. */
    async acceptBillingManagerInvitation(input: AcceptBillingManagerInvitationInput): Promise<void> {
      requireText(input.userId, 'userId');
      await db.transaction(async (trx) => {
        const invitation = await decideInvitation(trx, { invitationId: input.invitationId, status: 'accepted', decidedBy: input.userId, at: input.at });
        await grantBillingManager(trx, invitation.scope, input.userId);
        await recordInvitationAccepted(trx, invitation, input.userId, input.at);
      });
      await relayFromActivity(db);
    },

    async closeBillingManagerInvitation(input: CloseBillingManagerInvitationInput): Promise<void> {
      await db.transaction(async (trx) => {
        const invitation = await decideInvitation(trx, input);
        if (input.status === 'expired') await invitationExpired(trx, invitation, input.at);
      });
      await relayFromActivity(db);
    },

    /** Who hears of a team's subscription changes: owners, admins and billing managers (the team's or its organization's). */
    listBillingNoticeRecipients(input: { teamId: string }): Promise<BillingNoticeRecipient[]> {
      return billingNoticeRecipients(db, { teamId: requireText(input.teamId, 'teamId') });
    },
  };
}
