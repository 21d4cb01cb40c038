// Credit notes (section 13): money given back on an issued invoice is a numbered document of its own, with
// negative lines, its own tax line at the rate of the invoice it corrects, a reference to that invoice, and where
// the money went. Refunds to the card, removed members' refunds to the balance and voids of paid invoices all
// issue theirs through issueCreditNote, inside the transaction that moves the money.
import type { Day } from '../domain/calendar';
import type { LineKind } from '../domain/invoice';
import type { Cents } from '../domain/money';
import { taxLines } from '../domain/tax';
import { buyerOf, insertNumbered, sellerParty, type SellerSettings } from './documents';
import { nonRetryable } from './failures';
import { newId, type CreditNoteReason, type CreditNoteRow, type DbOrTrx, type InvoiceRow } from '../ledger/rows';

export type { CreditNoteReason, CreditNoteRow } from '../ledger/rows';
import { creditNoteCreated } from '../ledger/outbox/ledger-events';


export interface CreditNoteLine {
  kind: LineKind;
  description: string;
  /** Negative: given back (a credited invoice's negative line comes back positive). */
  amount: Cents;
}

export interface IssueCreditNoteInput {
  /** The business event it records, e.g. `<payment key>:refund:credit_note`: the same key is the same credit note. */
  key: string;
  invoiceId: string;
  reason: CreditNoteReason;
  /** Where the money (the card part, for a refund) went. */
  to: 'card' | 'balance';
  on: Day;
  /** Without lines, the whole invoice is credited: each of its lines negated, so its tax and total are too. */
  lines?: CreditNoteLine[];
  /** When the money moved. */
  at: string;
}

/**
 * Writes the credit note once under `key`, numbered CN-<year>-nnnnnn in the year of `on`; a retry or replay
 * returns the stored one and takes no number. Its tax is round(rate × Σ lines) at the corrected invoice's rate.
 */
export async function issueCreditNote(trx: DbOrTrx, seller: SellerSettings, input: IssueCreditNoteInput): Promise<{ creditNote: CreditNoteRow; created: boolean }> {
  const invoice = (await trx('invoices').where({ id: input.invoiceId }).first()) as InvoiceRow | undefined;
  if (!invoice) throw nonRetryable('UnknownInvoice', `no invoice ${input.invoiceId} to credit`, { invoiceId: input.invoiceId });
  const lines = input.lines ?? (await wholeInvoiceCredited(trx, invoice));
  if (lines.some((line) => !Number.isSafeInteger(line.amount))) throw nonRetryable('InvalidInput', `credit note ${input.key} has a line that is not integer cents`);
  const taxed = taxLines(lines.map((line) => line.amount), { basisPoints: invoice.tax_rate_bp });
  if (taxed.net >= 0) throw nonRetryable('InvalidInput', `credit note ${input.key} gives nothing back (${taxed.net})`, { key: input.key });
  if (-taxed.net > invoice.net) {
    throw nonRetryable('InvalidInput', `credit note ${input.key} of ${-taxed.net} exceeds invoice ${invoice.number}'s ${invoice.net}`, { key: input.key });
  }
  const buyer = await buyerOf(trx, invoice.team_id);
  const { row, created } = await insertNumbered<CreditNoteRow>(trx, 'credit_notes', {
    id: newId('cn'),
    team_id: invoice.team_id,
    invoice_id: invoice.id,
    idempotency_key: input.key,
    reason: input.reason,
    to: input.to,
    issued_on: input.on,
    net: taxed.net,
    tax: taxed.tax,
    total: taxed.total,
    tax_rate_bp: invoice.tax_rate_bp,
    tax_treatment: invoice.tax_treatment,
    tax_country: invoice.tax_country,
    seller: JSON.stringify(sellerParty(seller)),
    buyer: JSON.stringify(buyer),
  }, ['invoice_id', 'net'], { series: seller.creditNotePrefix, on: input.on });
  if (created) {
    await trx('credit_note_lines').insert(lines.map((line, i) => ({ credit_note_id: row.id, position: i + 1, ...line })));
    await creditNoteCreated(trx, row, invoice, input.at);
  }
  return { creditNote: row, created };
}

async function wholeInvoiceCredited(trx: DbOrTrx, invoice: InvoiceRow): Promise<CreditNoteLine[]> {
  const lines = (await trx('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position').select('kind', 'description', 'amount')) as CreditNoteLine[];
  return lines.map((line) => ({ kind: line.kind, description: line.description, amount: -line.amount }));
}
