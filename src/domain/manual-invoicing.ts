// Manual invoicing (section 12): eligible when credit purchases were at least
// $1,000 in each of the last 3 full calendar months (the month of `today`
// is not full yet and does not count).
import { dayOf, type Day, type Moment } from './calendar';
import { assertCents, type Cents } from './money';

export const MANUAL_INVOICING_MONTHLY_MINIMUM: Cents = 100_000;
export const MANUAL_INVOICING_MONTHS = 3;

export interface CreditPurchase {
  at: Moment;
  amount: Cents;
}

export interface ManualInvoicingEligibility {
  eligible: boolean;
  /** The months checked, oldest first, with their purchases. */
  months: { month: string; purchased: Cents }[];
  /** Why not, when not eligible. */
  reason: string | null;
}

function previousMonths(today: Day, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const months: string[] = [];
  for (let k = count; k >= 1; k--) {
    const index = year * 12 + (month - 1) - k;
    const y = Math.floor(index / 12);
    months.push(`${String(y).padStart(4, '0')}-${String(index - y * 12 + 1).padStart(2, '0')}`);
  }
  return months;
}

export function manualInvoicingEligibility(purchases: readonly CreditPurchase[], today: Day): ManualInvoicingEligibility {
  const months = previousMonths(dayOf(today), MANUAL_INVOICING_MONTHS).map((month) => ({ month, purchased: 0 }));
  for (const purchase of purchases) {
    assertCents(purchase.amount, 'purchase amount');
    const month = dayOf(purchase.at).slice(0, 7);
    const entry = months.find((m) => m.month === month);
    if (entry) entry.purchased += purchase.amount;
  }
  const short = months.filter((m) => m.purchased < MANUAL_INVOICING_MONTHLY_MINIMUM);
  return {
    eligible: short.length === 0,
    months,
    reason: short.length === 0 ? null : `credit purchases were below $1,000 in ${short.map((m) => m.month).join(', ')}`,
  };
}
