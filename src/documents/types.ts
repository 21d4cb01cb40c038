// The documents the API serves and the portal shows and prints: an invoice and a credit note with their tax facts,
// as the API returns them.
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
  /** Void: its balance credit was taken back (a refused plan change), so it gave nothing back; `voidedOn` the day. */
  status: 'issued' | 'void';
  voidedOn: string | null;
  lines: { description: string; amount: number }[];
  /** How the corrected invoice was paid: a refund gives each part back the way it came. */
  invoiceBalanceApplied: number;
  invoiceCreditsApplied: number;
  invoiceCharged: number;
}

export interface InvoiceSummary {
  id: string;
  number: string;
  reason: string;
  status: string;
  currency: string;
  issuedOn: string;
  /** Invoice first: payable through this day. */
  dueOn?: string | null;
  purchaseOrder?: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  net: number;
  tax: number;
  total: number;
  balanceApplied: number;
  creditsApplied: number;
  charged: number;
}

export interface PaymentRow {
  id: string;
  provider: string;
  method: string | null;
  amount: number;
  status: string;
  refundedAmount: number;
  paidAt: string;
}

export interface InvoiceDetail extends InvoiceSummary, DocumentTax {
  lines: { description: string; amount: number }[];
  payments: PaymentRow[];
}
