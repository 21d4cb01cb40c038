// The emails, in plain text and HTML, one template per notice kind. Pure: the caller gives the facts (the notice's
// payload, the team's name, the invitation's link), so each template reads and tests alone.
import { formatUsd, PLAN_NAMES, spelledDate, type Plan } from '../domain';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateFacts {
  /** The notice's day. */
  on: string;
  payload: Record<string, unknown>;
  /** The team's (or organization's) name. */
  scopeName: string;
  /** For an invitation: where the invitee accepts it. */
  acceptUrl?: string;
  /** For a document (an invoice's receipt, a credit note): where its PDF is. */
  documentUrl?: string;
  /** For a low-balance alert: where the account's user buys credits (POST). */
  purchaseUrl?: string;
}

type Template = (facts: TemplateFacts) => { subject: string; lines: string[]; action?: { label: string; url: string } };

const FREE_REASONS: Record<string, string> = { payment_failed: 'the payment could not be collected', canceled: 'the subscription was canceled', order_expired: 'the seat order ended', invoice_voided: 'its invoice was voided' };
const money = (value: unknown) => (typeof value === 'number' ? formatUsd(value) : 'the amount due');
/** A payload's date, as a person writes it ('December 8, 2026, 22:48 UTC'). */
const date = (value: unknown) => spelledDate(String(value));
const planName = (value: unknown) => (typeof value === 'string' && value in PLAN_NAMES ? PLAN_NAMES[value as Plan] : 'your plan');

const templates: Record<string, Template> = {
  billing_manager_invited: ({ scopeName, payload, acceptUrl }) => ({
    subject: `You are invited to manage billing for ${scopeName}`,
    lines: [
      `You have been invited to become a billing manager of ${scopeName}.`,
      `Accept the invitation, signed in with this email address, before ${date(payload.expiresAt)} (it is valid 7 days).`,
    ],
    ...(acceptUrl ? { action: { label: 'Accept the invitation', url: acceptUrl } } : {}),
  }),
  trial_ending: ({ scopeName, payload }) => ({
    subject: `${scopeName}: your trial ends on ${date(payload.trialEnd)}`,
    lines: [`The ${planName(payload.plan)} trial of ${scopeName} ends on ${date(payload.trialEnd)}.`, 'The first period is charged that day to the payment method on file, unless the trial is canceled.'],
  }),
  payment_failed: ({ scopeName, payload }) => ({
    subject: `${scopeName}: a payment of ${money(payload.total)} failed`,
    lines: [
      `We could not collect ${money(payload.total)} for invoice ${String(payload.invoiceId)} (attempt ${String(payload.attempt)}).`,
      payload.nextTryOn ? `We will try again on ${date(payload.nextTryOn)}; updating the payment method before then avoids losing the plan.` : 'This was the last attempt: the team moves to the Free plan.',
    ],
  }),
  renewal_reminder: ({ scopeName, payload }) => ({
    subject: `${scopeName}: the annual term renews on ${date(payload.termEnd)}`,
    lines: [`The ${planName(payload.plan)} annual term of ${scopeName} ends on ${date(payload.termEnd)} and renews that day.`, 'Change or cancel the plan before then if needed.'],
  }),
  price_change_notice: ({ scopeName, payload }) => ({
    subject: `${scopeName}: the ${planName(payload.plan)} price changes on ${date(payload.effectiveOn)}`,
    lines: [
      `The ${planName(payload.plan)} price goes from ${money(payload.from)} to ${money(payload.to)} per member ${payload.interval === 'year' ? 'per year' : 'per month'}.`,
      `${scopeName} pays the new price from its renewal on ${date(payload.effectiveOn)}; until then nothing changes.`,
    ],
  }),
  expiry_notice: ({ scopeName, payload }) => ({
    subject: `${scopeName}: the seat order ends on ${payload.orderEnd ?? payload.endsOn ? date(payload.orderEnd ?? payload.endsOn) : 'soon'}`,
    lines: [
      `The seat order of ${scopeName} ends on ${payload.orderEnd ?? payload.endsOn ? date(payload.orderEnd ?? payload.endsOn) : 'its end date'}. Seat orders do not renew on their own.`,
      'Without a reorder the team moves to the Free plan that day.',
    ],
  }),
  downgraded_to_free: ({ scopeName, on, payload }) => ({
    subject: `${scopeName} is now on the Free plan`,
    lines: [
      `${scopeName} moved to the Free plan on ${date(on)} (${FREE_REASONS[String(payload.reason)] ?? 'the subscription ended'}).`,
      payload.restricted === true ? `It has ${String(payload.members)} members, more than Free allows: the team is restricted until it upgrades or removes members.` : 'Its data is kept; upgrade at any time.',
    ],
  }),
  // Section 13's documents: the figures as the document states them, how the money moved, and its PDF.
  // Invoice first (section 7): payable through its due day; the order starts once paid, and never if it is not.
  invoice_request: ({ scopeName, payload, documentUrl }) => ({
    subject: `${scopeName}: invoice ${String(payload.number)} for ${money(payload.total)}, due ${date(payload.dueOn)}`,
    lines: [
      `Invoice ${String(payload.number)} of ${date(payload.issuedOn)}, as requested: net ${money(payload.net)}, tax ${money(payload.tax)}, total ${money(payload.total)}.`,
      ...(typeof payload.purchaseOrder === 'string' ? [`Your purchase order: ${payload.purchaseOrder}.`] : []),
      // The balance and credits the team had are held for it when it is issued (section 4); the rest is to pay.
      ...(payload.due === payload.total ? [] : [`Covered already: ${paidParts({ ...payload, card: 0 }, ['from the team balance', 'with credits', 'by card'])}. Left to pay: ${money(payload.due)}.`]),
      `Please pay ${money(payload.due)} by ${date(payload.dueOn)}: by bank transfer with ${String(payload.number)} as the payment reference, or by card.`,
      'The seat order starts once the invoice is paid. Unpaid after its due day, the invoice is voided and the order does not start.',
    ],
    ...(documentUrl ? { action: { label: 'Invoice PDF', url: documentUrl } } : {}),
  }),
  invoice_receipt: ({ scopeName, payload, documentUrl }) => ({
    subject: `${scopeName}: receipt for invoice ${String(payload.number)} (${money(payload.total)})`,
    lines: [
      `Invoice ${String(payload.number)} of ${date(payload.issuedOn)} is paid. Thank you.`,
      `Net ${money(payload.net)}, tax ${money(payload.tax)}, total ${money(payload.total)}.`,
      `Paid ${paidParts(payload, ['from the team balance', 'with credits', 'by card'])}.`,
    ],
    ...(documentUrl ? { action: { label: 'Invoice PDF', url: documentUrl } } : {}),
  }),
  credit_note: ({ scopeName, payload, documentUrl }) => ({
    subject: `${scopeName}: credit note ${String(payload.number)} for invoice ${String(payload.invoiceNumber)}`,
    lines: [
      `Credit note ${String(payload.number)} of ${date(payload.issuedOn)} gives back ${money(-Number(payload.total))} of invoice ${String(payload.invoiceNumber)}.`,
      `Net ${money(-Number(payload.net))}, tax ${money(-Number(payload.tax))}, total ${money(-Number(payload.total))}.`,
      `Given back ${paidParts(payload, ['to the team balance', 'to the credits it was paid with', 'to the card'])}.`,
    ],
    ...(documentUrl ? { action: { label: 'Credit note PDF', url: documentUrl } } : {}),
  }),
  // Section 12's low-balance alert, once per crossing; `on` is when the usage crossed, `scopeName` the owner's name.
  low_balance_alert: ({ scopeName, on, payload, purchaseUrl }) => ({
    subject: `${scopeName}: API credits down to ${money(payload.balance)}, below ${money(payload.threshold)}`,
    lines: [
      `On ${date(on)} the API-credit balance of ${scopeName} fell to ${money(payload.balance)}, below its low-balance threshold of ${money(payload.threshold)}.`,
      'Usage the balance does not cover is refused, and credits are never bought automatically: buy more before it runs out.',
      `The account's user buys credits with a purchase: POST ${purchaseUrl ?? '/v1/api-credits/{accountId}/purchases'} with the amount in cents and a payment method.`,
    ],
  }),
  webhook_delivery_failed: ({ payload }) => ({
    subject: `Webhook delivery failed: ${String(payload.eventType)} to ${String(payload.url)}`,
    lines: [
      `Event ${String(payload.eventId)} (${String(payload.eventType)}) could not be delivered to ${String(payload.url)} after ${String(payload.attempts)} attempts over 3 days.`,
      `Last answer: ${String(payload.lastOutcome)}. Redeliver it through the API once the endpoint works again.`,
    ],
  }),
};

/** `$30.00 with credits and $112.80 by card`: the parts (balance, credits, card) that moved money, in that order. */
function paidParts(payload: Record<string, unknown>, [balance, credits, card]: [string, string, string]): string {
  const parts = [[payload.balance, balance], [payload.credits, credits], [payload.card, card]] as const;
  const moved = parts.filter(([cents]) => typeof cents === 'number' && cents !== 0).map(([cents, how]) => `${money(cents)} ${how}`);
  return moved.length > 0 ? moved.join(' and ') : 'nothing';
}

export function hasTemplate(kind: string): boolean {
  return kind in templates;
}

export function renderEmail(kind: string, facts: TemplateFacts): EmailContent {
  const template = templates[kind];
  if (!template) throw new Error(`no email template for ${kind}`);
  const { subject, lines, action } = template(facts);
  const text = [...lines, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n') + '\n';
  const html = [
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(action ? [`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`] : []),
  ].join('\n');
  return { subject, text, html: `<!doctype html>\n<html><body>\n${html}\n</body></html>\n` };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
