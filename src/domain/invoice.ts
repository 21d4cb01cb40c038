// An invoice is a list of lines; its total is the sum of the (already rounded)
// lines, never rounded again. How it was paid sits beside the lines
// (section 4), so a customer sees why the card charge differs from the price.
import type { Day, Interval, Moment } from './calendar';
import type { Plan } from './catalog';
import { assertCents, sumCents, type Cents } from './money';
import type { CreditGrant } from './credits';
import { applyPayment, type PaymentApplication } from './payment-application';

export type LineKind =
  | 'period' // price × members (or seats) for a whole period
  | 'unused_time' // negative: unused value of the old period on an immediate change
  | 'members_added' // count × price × daysLeft ÷ daysInPeriod
  | 'members_added_then_removed' // count × price × daysBetween ÷ daysInPeriod
  | 'members_removed' // refund to the team balance
  | 'members_removed_then_added' // refund to the team balance
  | 'seat_order'
  | 'seats_added'
  | 'discount'; // negative: the held coupon's percent or amount off; among refunds, the period's percent off (section 14)

export interface InvoiceLine {
  kind: LineKind;
  /** For the customer; its wording may change, so nothing reads it back. */
  description: string;
  amount: Cents;
  /** What a period line bills, stored beside it so the ledger says it without parsing the description. */
  plan?: Plan;
  interval?: Interval;
  /** Members (or seats) priced. */
  quantity?: number;
  /** The catalog price version a period line was priced at (section 14), for replays and audits. */
  priceVersion?: number;
}

export type InvoiceReason =
  | 'trial_end'
  | 'subscribe'
  | 'renewal'
  | 'member_review'
  | 'plan_change'
  | 'seat_order'
  | 'seat_addition';

export interface Invoice {
  on: Day;
  reason: InvoiceReason;
  lines: InvoiceLine[];
  /** Σ lines. */
  total: Cents;
}

/** An invoice with how it was paid: total = balanceApplied + creditsApplied + charged. */
export interface SettledInvoice extends Invoice {
  balanceApplied: Cents;
  creditsApplied: Cents;
  charged: Cents;
}

export function invoiceTotal(lines: readonly InvoiceLine[]): Cents {
  return sumCents(lines.map((line) => line.amount));
}

export function buildInvoice(on: Day, reason: InvoiceReason, lines: readonly InvoiceLine[]): Invoice {
  for (const line of lines) assertCents(line.amount, `line "${line.description}"`);
  return { on, reason, lines: [...lines], total: invoiceTotal(lines) };
}

/** Records on the invoice how `applyPayment` paid it. */
export function settleInvoice(invoice: Invoice, payment: PaymentApplication): SettledInvoice {
  if (payment.total !== Math.max(0, invoice.total)) {
    throw new RangeError(`payment of ${payment.total} does not match invoice total ${invoice.total}`);
  }
  return {
    ...invoice,
    balanceApplied: payment.balanceApplied,
    creditsApplied: payment.creditsApplied,
    charged: payment.charged,
  };
}

/**
 * Pays an invoice from the team balance, then credits (soonest-expiring grant
 * first), then the payment method. Returns the settled invoice and what to
 * record: the new balance, the grants after use, the credit uses.
 */
export function payInvoice(
  invoice: Invoice,
  sources: { balance: Cents; grants: readonly CreditGrant[]; now: Moment },
): { invoice: SettledInvoice; payment: PaymentApplication } {
  const payment = applyPayment({ total: invoice.total, ...sources });
  return { invoice: settleInvoice(invoice, payment), payment };
}
