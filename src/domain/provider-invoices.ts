// Invoice first at a payment provider (section 7 with Stripe): the provider's invoice asks for what our invoice leaves
// to pay, falls due on our due day, and is closed the way ours is.
import { daysBetween, type Day } from './calendar';
import type { Cents } from './money';

export interface ProviderInvoiceLine {
  description: string;
  amount: Cents;
}

/** Stripe dates a `send_invoice` invoice due at finalization + `days_until_due`; we finalize on the issue day. */
export function daysUntilDue(issuedOn: Day, dueOn: Day): number {
  const days = daysBetween(issuedOn, dueOn);
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`an invoice due on ${dueOn} was issued on ${issuedOn}: due must be after issue`);
  return days;
}

/**
 * Our lines, our one tax line (section 13), then the team balance and credits that pay part of it (section 4) as
 * negative lines, so the provider's total is what our invoice charges and the customer sees why it differs from the
 * order's price.
 */
export function providerInvoiceLines(invoice: {
  lines: readonly ProviderInvoiceLine[];
  tax?: ProviderInvoiceLine;
  balanceApplied: Cents;
  creditsApplied: Cents;
}): ProviderInvoiceLine[] {
  const lines = invoice.lines.map(({ description, amount }) => ({ description, amount }));
  if (invoice.tax && invoice.tax.amount !== 0) lines.push({ ...invoice.tax });
  if (invoice.balanceApplied > 0) lines.push({ description: 'Paid from the team balance', amount: -invoice.balanceApplied });
  if (invoice.creditsApplied > 0) lines.push({ description: 'Paid with credits', amount: -invoice.creditsApplied });
  return lines;
}

/**
 * What our void at the due date does to the provider's invoice. One the provider reports paid is not voided: the
 * customer's money arrived (a webhook late or lost), so the payment is recorded and the order starts, as when the
 * webhook comes in time; voiding it would leave money taken for nothing, to be refunded by hand.
 */
export function atDueDateVoid(status: string | null): 'void' | 'record_payment' | 'nothing' {
  if (status === 'paid') return 'record_payment';
  if (status === 'void') return 'nothing';
  return 'void';
}

/** Invoice first goes through the provider for a team paying through Stripe, when something is left to pay there. */
export function sendsProviderInvoice(
  method: { provider: string; customerId?: string | undefined } | null,
  charged: Cents,
): method is { provider: 'stripe'; customerId: string } {
  return method !== null && method.provider === 'stripe' && typeof method.customerId === 'string' && method.customerId !== '' && charged > 0;
}
