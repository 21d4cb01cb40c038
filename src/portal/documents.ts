// The documents the portal shows and prints: an invoice's and a credit note's tax facts, as the API returns them.
import type { BillingParty } from '../domain';

/** The tax facts both documents print. */
export interface DocumentTax {
  number: string;
  net: number;
  tax: number;
  total: number;
  taxRateBasisPoints: number;
  taxTreatment: string;
  taxCountry: string | null;
  seller: BillingParty | null;
  buyer: BillingParty | null;
  currency: string;
}

export interface CreditNoteDetail extends DocumentTax {
  id: string;
  invoiceNumber: string;
  reason: string;
  to: 'card' | 'balance';
  issuedOn: string;
  lines: { description: string; amount: number }[];
  /** How the corrected invoice was paid: a refund gives each part back the way it came. */
  invoiceBalanceApplied: number;
  invoiceCreditsApplied: number;
  invoiceCharged: number;
}
