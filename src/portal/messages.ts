// Refusals and failures in words a customer understands, keyed by the API's stable problem codes. The API's own
// `detail` is written for developers; the page shows these instead.
import type { Problem } from '../api/problem';

const BY_CODE: Record<string, string> = {
  payment_method_required: 'Add a card on the Payment methods page first.',
  trial_already_used: 'This team has already had its free trial.',
  not_on_free: 'Your team already has a paid plan: use Change plan instead.',
  not_subscribed: 'Your team is on the Free plan. Choose a plan to subscribe.',
  past_due: 'A payment is overdue. Update your card on the Payment methods page and we will retry it before any change.',
  no_change: 'That is already your plan.',
  no_pending_change: 'There is no scheduled change to withdraw.',
  already_canceled: 'Your subscription is already set to end at the close of this period.',
  payment_method_in_use: 'Your card pays your current plan or seat order. Cancel it first, or save another card instead.',
  invalid_request: 'That change is not possible for your team.',
  forbidden: 'Your role on this team does not allow this. Ask a team admin.',
  idempotency_key_in_use: 'We are still working on your last request. Wait a moment, then refresh the page.',
  idempotency_key_reused: 'This confirmation was already used for another change. Ask for a new price first.',
  temporal_unavailable: 'Billing is busy right now. Try again in a minute; you will not be charged twice.',
  invalid_invitation: 'This invitation is not valid.',
  invitation_not_found: 'This invitation no longer exists.',
  invitation_expired: 'This invitation has expired.',
  invitation_closed: 'This invitation was already accepted or withdrawn.',
  session_expired: 'Your billing session has ended. Go back to the app and open Billing again.',
  // Section 14: a promotion code refused, and why.
  code_unknown: 'There is no such promotion code. Check its spelling.',
  code_expired: 'This promotion code has expired.',
  code_used_up: 'This promotion code has been used as many times as it allows.',
  code_not_for_plan: 'This promotion code is for another plan.',
  code_first_time_only: 'This promotion code is for new customers only, and your team has paid an invoice already.',
  coupon_already_held: 'Your team already has a discount; a team has one at a time.',
};

/** A billing-details field the API refused (400, or 422 for a VAT ID that fails its checksum). */
const BY_FIELD: Record<string, string> = {
  'body.legalName': 'Enter the legal name your invoices are issued to.',
  'body.address': 'The address is too long or has characters it cannot have.',
  'body.country': 'Enter the country as its two-letter code, e.g. DE or FR.',
  'body.taxId': 'This VAT ID is not valid for the country given. Check it, or leave it empty.',
};

const BY_STATUS: Record<number, string> = {
  400: 'Something in the form is not right. Check it and try again.',
  401: BY_CODE.session_expired!,
  403: BY_CODE.forbidden!,
  404: 'We could not find that. It may have been removed already.',
  409: 'That cannot be done while your subscription is in its current state.',
  422: BY_CODE.invalid_request!,
};

/** What to tell the customer about a refused or failed request. */
export function customerMessage(status: number, problem: Partial<Problem> | null | undefined): string {
  const code = problem?.code;
  if (code && BY_CODE[code]) return BY_CODE[code];
  if (status === 400 && problem?.errors?.some((e) => e.field.includes('email'))) return 'Enter valid email addresses, one per line.';
  const field = problem?.errors?.map((e) => BY_FIELD[e.field]).find(Boolean);
  if (field) return field;
  return BY_STATUS[status] ?? 'Something went wrong on our side. Nothing was charged twice; please try again in a minute.';
}

/** A charge that did not go through: the card was declined, the change is made, the engine retries the payment. */
export const DECLINED =
  'Your card was declined, so this invoice is not paid yet. Update your card on the Payment methods page; we will retry the payment.';
