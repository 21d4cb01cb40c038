// Quotes and the upcoming invoice show what the invoice will say (section 13): net (Σ lines), the one tax line at
// the team's rate on the invoice's day, and the total the balance, credits and card will pay. The rate comes from
// the same function the issuing activity uses, with the team's billing details as they are now.
import { buyerOf, documentTaxRate, type SellerSettings } from '../activities/documents';
import type { Db } from '../ledger/db';
import { type Cents, type Day, type InvoiceLine, type TaxRate, taxLines } from '../domain';

export interface TaxEstimate {
  net: Cents;
  tax: Cents;
  /** net + tax. */
  total: Cents;
  taxRateBasisPoints: number;
  taxTreatment: TaxRate['treatment'];
}

/** The rate of `teamId`'s invoice dated `on`; untaxed for a team the ledger does not know yet. */
export async function teamTaxRate(db: Db, seller: SellerSettings, teamId: string, on: Day): Promise<TaxRate> {
  const buyer = await buyerOf(db, teamId);
  return buyer ? documentTaxRate(buyer, on, seller) : { treatment: 'untaxed', country: '', basisPoints: 0, source: null };
}

/** `invoice` with its net, tax and total as issued at `rate`. */
export function withTax<T extends { lines: readonly Pick<InvoiceLine, 'amount'>[] }>(invoice: T, rate: TaxRate): T & TaxEstimate {
  const { net, tax, total } = taxLines(invoice.lines.map((line) => line.amount), rate);
  return { ...invoice, net, tax, total, taxRateBasisPoints: rate.basisPoints, taxTreatment: rate.treatment };
}

/** The one tax line of `lines` at `rate`: round(rate × Σ lines), once (X3's refund: 1006 → 191). */
export function taxOf(lines: readonly Pick<InvoiceLine, 'amount'>[], rate: TaxRate): Cents {
  return taxLines(lines.map((line) => line.amount), rate).tax;
}
