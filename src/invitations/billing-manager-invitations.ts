// The API's side of billing-manager invitations: send them (a row, the invitee's message and a workflow per email),
// list them, show one to its invitee, and pass acceptances, declines and revocations to their workflows. Once a
// workflow has ended, its row answers.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Directory } from '../ledger/accounts/directory';
import type { Db } from '../ledger/db';
import { checkAcceptance, instantFromEpochMs, invitationExpiresAt, invitationStatusAt } from '../domain';
import type { billingManagerInvitation } from '../workflows/billing-manager-invitation';
import {
  acceptInvitationUpdate,
  invitationWorkflowId,
  invitationWorkflowSummary,
  revokeInvitationUpdate,
  type AcceptingAccount,
  type InvitationScope,
} from '../workflows/billing-manager-invitation-messages';
import { InvitationRefusal, type InvitationRefusalCode } from '../ledger/invitations/errors';
import { findInvitation, insertInvitation, pendingInvitations, type Invitation } from '../ledger/invitations/invitation-rows';
import { scopeName } from '../ledger/invitations/notice-recipients';
import { recordInvitationSent } from '../ledger/invitations/notices';
import { relayOutbound } from '../activities/relay';

export interface InvitationServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  directory: Pick<Directory, 'user'>;
  /** When invitations are sent and checked; tests on the time-skipping server pass its clock. */
  now?: () => Date;
}

/** An invitation as its invitee sees it: with the team's (or organization's) name and who sent it. */
export interface InvitationForInvitee extends Invitation {
  scopeName: string;
  invitedByName: string | null;
}

/** The invitation's secret link: 192 random bits, so it cannot be guessed from others. */
function newInvitationId(): string {
  return `inv_${randomBytes(24).toString('base64url')}`;
}

export function billingManagerInvitations({ db, temporal, taskQueue, directory, now = () => new Date() }: InvitationServiceDeps) {
  const at = () => instantFromEpochMs(now().getTime());

  /** Sends the workflow an update; its refusal becomes an InvitationRefusal, and an ended workflow is left to its row. */
  async function ask<Arg>(invitationId: string, update: UpdateDefinition<unknown, [Arg]>, arg: Arg): Promise<void> {
    try {
      await temporal.workflow.getHandle(invitationWorkflowId(invitationId)).executeUpdate(update, { args: [arg] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        throw new InvitationRefusal((error.cause.type ?? 'invalid_invitation') as InvitationRefusalCode, error.cause.message);
      }
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  async function signedIn(userId: string | null): Promise<AcceptingAccount | null> {
    const user = userId === null ? null : await directory.user(userId);
    return user ? { userId: user.id, email: user.email } : null;
  }

  /** The invitation and the signed-in account it was sent to; "invalid invitation" for anyone else, as for accept. */
  async function forInvitee(invitationId: string, userId: string | null): Promise<{ invitation: Invitation; account: AcceptingAccount }> {
    const [account, invitation] = await Promise.all([signedIn(userId), findInvitation(db, invitationId)]);
    if (!account || !invitation || account.email.toLowerCase() !== invitation.email.toLowerCase()) {
      throw new InvitationRefusal('invalid_invitation', 'invalid invitation');
    }
    return { invitation, account };
  }

  return {
    /** One invitation per distinct email; each row and message commit only once its workflow has started. */
    async invite(scope: InvitationScope, emails: readonly string[], invitedBy: string | null): Promise<Invitation[]> {
      const sentAt = at();
      const sent: Invitation[] = [];
      for (const email of new Set(emails.map((email) => email.trim().toLowerCase()))) {
        const invitation: Invitation = {
          invitationId: newInvitationId(), scope, email, status: 'pending', sentAt, expiresAt: invitationExpiresAt(sentAt), invitedBy, decidedBy: null,
        };
        await db.transaction(async (trx) => {
          await insertInvitation(trx, invitation);
          await recordInvitationSent(trx, invitation);
          await temporal.workflow.start<typeof billingManagerInvitation>('billingManagerInvitation', {
            taskQueue,
            workflowId: invitationWorkflowId(invitation.invitationId),
            args: [{ invitationId: invitation.invitationId, scope, email, sentAt }],
            staticSummary: invitationWorkflowSummary(scope),
          });
        });
        sent.push(invitation);
      }
      await relayOutbound(db, { temporal, taskQueue }); // the invitation emails and webhook events, now committed
      return sent;
    },

    list(scope: InvitationScope): Promise<Invitation[]> {
      return pendingInvitations(db, scope);
    },

    /** The invitation, to the signed-in account with its email only; its status is `expired` once its 7 days are over. */
    async view(invitationId: string, userId: string | null): Promise<InvitationForInvitee> {
      const { invitation } = await forInvitee(invitationId, userId);
      const inviter = invitation.invitedBy === null ? null : await directory.user(invitation.invitedBy);
      return { ...invitation, status: invitationStatusAt(invitation, at()), scopeName: await scopeName(db, invitation.scope), invitedByName: inviter?.name ?? null };
    },

    /** Only the signed-in account with the invited email may accept; anyone else learns only "invalid invitation". */
    async accept(invitationId: string, userId: string | null): Promise<Invitation> {
      const account = await signedIn(userId);
      let invitation = await findInvitation(db, invitationId);
      if (!invitation || !account) throw new InvitationRefusal('invalid_invitation', 'invalid invitation');
      if (invitation.status === 'pending') {
        await ask(invitationId, acceptInvitationUpdate, account);
        invitation = (await findInvitation(db, invitationId))!;
      }
      const check = checkAcceptance({ invitation: { ...invitation, acceptedBy: invitation.decidedBy }, account, now: at() });
      if (!check.ok) throw new InvitationRefusal(check.error, check.message);
      return invitation;
    },

    /**
     * The invitee declines: the invitation is closed as revoked by the invitee (the workflow's revocation, so no new
     * command). Declining twice is one decline; an accepted, withdrawn or expired invitation is closed.
     */
    async decline(invitationId: string, userId: string | null): Promise<Invitation> {
      const { account, invitation: found } = await forInvitee(invitationId, userId);
      let invitation = found;
      if (invitationStatusAt(invitation, at()) === 'pending') {
        await ask(invitationId, revokeInvitationUpdate, { revokedBy: account.userId });
        invitation = (await findInvitation(db, invitationId))!;
      }
      if (invitation.status === 'revoked' && invitation.decidedBy === account.userId) return invitation;
      const status = invitationStatusAt(invitation, at());
      if (status === 'expired') throw new InvitationRefusal('invitation_expired', 'the invitation has expired');
      throw new InvitationRefusal('invitation_closed', `the invitation is ${status} and can no longer be declined`);
    },

    /** Revoking twice is one revocation; an accepted or expired invitation is closed. */
    async revoke(scope: InvitationScope, invitationId: string, revokedBy: string | null): Promise<Invitation> {
      let invitation = await findInvitation(db, invitationId, scope);
      if (!invitation) throw new InvitationRefusal('invitation_not_found', `no invitation ${invitationId} here`);
      if (invitation.status === 'pending') {
        await ask(invitationId, revokeInvitationUpdate, { revokedBy });
        invitation = (await findInvitation(db, invitationId))!;
      }
      if (invitation.status !== 'revoked') throw new InvitationRefusal('invitation_closed', `the invitation is ${invitation.status} and can no longer be revoked`);
      return invitation;
    },
  };
}

export type BillingManagerInvitations = ReturnType<typeof billingManagerInvitations>;
