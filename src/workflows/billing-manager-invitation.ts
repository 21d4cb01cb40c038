// One workflow per billing-manager invitation (ID `invitation:<invitationId>`): one email, a durable 7-day timer,
// and accept or revoke, whichever comes first. It only wires messages to the BillingManagerInvitation state class
// and ends once the invitation is decided; the API answers for a closed invitation from its ledger row.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import {
  acceptInvitationUpdate,
  invitationQuery,
  revokeInvitationUpdate,
  type BillingManagerInvitationInput,
  type InvitationView,
} from './billing-manager-invitation-messages';
import { BillingManagerInvitation } from './invitation/billing-manager-invitation-state';

export * from './billing-manager-invitation-messages';

export async function billingManagerInvitation(input: BillingManagerInvitationInput): Promise<InvitationView> {
  const invitation = new BillingManagerInvitation(input);

  setHandler(acceptInvitationUpdate, (account) => invitation.accept(account), { validator: (account) => invitation.validateAccept(account) });
  setHandler(revokeInvitationUpdate, (request) => invitation.revoke(request), { validator: (_request) => invitation.validateRevoke() });
  setHandler(invitationQuery, () => invitation.view());

  await invitation.decided();
  await condition(allHandlersFinished);
  return invitation.view();
}
