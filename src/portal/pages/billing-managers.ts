// Billing managers: who they are, the invitations waiting (each with its expiry date), inviting and removing.
import type { BillingManager } from '../../ledger/accounts/directory';
import { day, isoDay } from '../../documents/format';
import { html, type Html } from '../html';
import { page } from '../layout';
import type { Viewer } from '../viewer';

export interface PendingInvitation {
  invitationId: string;
  email: string;
  status: string;
  expiresAt: string;
}

export function billingManagersPage(viewer: Viewer, managers: BillingManager[], invitations: PendingInvitation[], userId: string): Html {
  const pending = invitations.filter((i) => i.status === 'pending');
  return page(viewer, '/portal/billing-managers', 'Billing managers', html`
<p>Billing managers can change the plan, pay invoices and manage cards. They do not see your team's members, projects or settings, and they are not billed as members.</p>
<section aria-labelledby="managers-h" class="panel">
  <h2 id="managers-h">Current billing managers</h2>
  ${managers.length === 0 ? html`<p>Your team has no billing managers.</p>` : html`<ul class="people" data-testid="billing-managers">
    ${managers.map((m) => html`<li><span>${m.name} <span class="muted">${m.email}</span>${m.userId === userId ? ' (you)' : null}</span>
      <form class="api" data-method="DELETE" data-path="billing-managers/${m.userId}" data-confirm="Remove ${m.name} as a billing manager?" data-success="${m.name} is no longer a billing manager.">
        <button type="submit" class="secondary">Remove<span class="visually-hidden"> ${m.name}</span></button></form></li>`)}
  </ul>`}
</section>
<section aria-labelledby="pending-h" class="panel">
  <h2 id="pending-h">Invitations waiting</h2>
  ${pending.length === 0 ? html`<p>No invitations are waiting.</p>` : html`<ul class="people" data-testid="invitations">
    ${pending.map((i) => html`<li><span>${i.email} <span class="muted">expires <time datetime="${isoDay(i.expiresAt)}">${day(i.expiresAt)}</time></span></span>
      <form class="api" data-method="DELETE" data-path="billing-manager-invitations/${i.invitationId}" data-success="The invitation to ${i.email} was withdrawn.">
        <button type="submit" class="secondary">Withdraw<span class="visually-hidden"> the invitation to ${i.email}</span></button></form></li>`)}
  </ul>`}
</section>
<section aria-labelledby="invite-h" class="panel">
  <h2 id="invite-h">Invite billing managers</h2>
  <form class="api" data-path="billing-manager-invitations" data-list="emails" data-success="invitations">
    <label for="emails">Email addresses, one per line</label>
    <textarea id="emails" name="emails" rows="3" required autocomplete="off" aria-describedby="emails-help"></textarea>
    <p id="emails-help" class="muted">Each person gets an email and has 7 days to accept, signed in with that address.</p>
    <button type="submit">Send invitations</button>
  </form>
</section>`);
}
