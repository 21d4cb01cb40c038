// The pages shown instead of the portal: an ended session, a role without billing rights, a failure.
import { html, type Html } from '../html';
import { plainPage } from '../layout';
import { customerMessage } from '../messages';

export function sessionEndedPage(): Html {
  return plainPage('This billing link has expired', html`
  <p>For your security, a billing link works once and for one hour only.</p>
  <p>Go back to the app and choose <strong>Billing</strong> again to get a new one. Nothing in your subscription has changed.</p>`);
}

export function noBillingAccessPage(teamName: string | null): Html {
  return plainPage('You cannot manage billing for this team', html`
  <p>Billing${teamName ? html` for <strong>${teamName}</strong>` : null} is managed by the team's owner, admins and billing managers.</p>
  <p>Ask one of them if you need a change to the plan or an invoice.</p>`);
}

export function failurePage(status: number, problem: { code?: string } | null): Html {
  return plainPage('We could not open this page', html`<p>${customerMessage(status, problem)}</p>
  <p><a href="/portal/">Back to your plan</a></p>`);
}
