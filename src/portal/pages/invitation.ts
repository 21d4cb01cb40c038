// A billing-manager invitation, as the person it was sent to sees it (issue 25): the team, the role, who invited
// them and until when, with Accept and Decline; or why it can no longer be answered.
import { spelledDate } from '../../domain';
import { html, type Html } from '../html';
import { plainPage } from '../layout';
import { customerMessage } from '../messages';

/** The API's `GET /v1/billing-manager-invitations/{invitationId}`, as the page reads it. */
export interface InviteeInvitation {
  invitationId: string;
  scope: { teamId: string } | { organizationId: string };
  email: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
  scopeName: string;
  invitedByName: string | null;
  decidedBy: string | null;
}

const TITLE = 'Invitation to manage billing';

/** `billingLink`: where this session's billing pages are, once they are the invitation's team's; null elsewhere. */
export function invitationPage(invitation: InviteeInvitation, userId: string, billingLink: string | null): Html {
  const { scopeName, invitationId } = invitation;
  const kind = 'teamId' in invitation.scope ? 'Team' : 'Organization';
  const facts = html`<dl class="facts" data-testid="invitation">
  <div><dt>${kind}</dt><dd data-testid="invitation-scope">${scopeName}</dd></div>
  <div><dt>Role</dt><dd>Billing manager</dd></div>
  <div><dt>Invited by</dt><dd data-testid="invitation-invited-by">${invitation.invitedByName ?? 'the app'}</dd></div>
  <div><dt>Expires</dt><dd><time data-testid="invitation-expires" datetime="${invitation.expiresAt}">${spelledDate(invitation.expiresAt)}</time></dd></div>
</dl>`;
  const path = (answer: string) => `invitations/${invitationId}/${answer}`;
  switch (invitation.status) {
    case 'pending':
      return plainPage(TITLE, html`<p>You are invited to become a billing manager of <strong>${scopeName}</strong>, as ${invitation.email}.</p>
  ${facts}
  <p>Billing managers can change the plan, pay invoices and manage cards. They do not see the members, projects or settings, and they are not billed as members.</p>
  <div class="inline">
    <form class="api" data-path="${path('accept')}" data-success="You are now a billing manager of ${scopeName}.">
      <button type="submit">Accept</button></form>
    <form class="api" data-path="${path('decline')}" data-confirm="Decline the invitation to manage billing for ${scopeName}?" data-success="You declined the invitation to manage billing for ${scopeName}.">
      <button type="submit" class="secondary">Decline</button></form>
  </div>`);
    case 'accepted':
      return plainPage(TITLE, html`<p data-testid="invitation-outcome">You are a billing manager of <strong>${scopeName}</strong>.</p>
  ${billingLink ? html`<p><a class="button" href="${billingLink}">Open billing for ${scopeName}</a></p>` : html`<p>Open Billing from the app to manage it.</p>`}`);
    case 'revoked':
      return plainPage(TITLE, invitation.decidedBy === userId
        ? html`<p data-testid="invitation-outcome">You declined this invitation. Ask whoever invited you if you change your mind.</p>${facts}`
        : html`<p class="alert" data-testid="invitation-outcome">${customerMessage(409, { code: 'invitation_closed' })}</p>${facts}`);
    case 'expired':
      return plainPage(TITLE, html`<p class="alert" data-testid="invitation-outcome">${customerMessage(410, { code: 'invitation_expired' })} Ask whoever invited you to send a new one.</p>${facts}`);
  }
}

/** Unknown, or sent to another email address: one answer for both, as the API gives. */
export function invalidInvitationPage(signInUrl: string | null): Html {
  return plainPage(TITLE, html`<p class="alert" data-testid="invitation-outcome">${customerMessage(404, { code: 'invalid_invitation' })}</p>
  <p>An invitation opens only for the account with the email address it was sent to.</p>
  ${signInUrl ? html`<p><a href="${signInUrl}">Sign in with another account</a></p>` : null}`);
}

/** Not signed in, and no sign-in page of the app configured (PORTAL_SIGN_IN_URL). */
export function signInFirstPage(): Html {
  return plainPage('Sign in to see this invitation', html`
  <p>Sign in to the app with the email address this invitation was sent to, open <strong>Billing</strong>, then follow the link in the email again.</p>`);
}
