// Credit notes for part of an invoice (section 13): a partial refund to the card, and what a whole refund gives
// back after earlier partial ones. The amount given back is a gross figure (VAT included), so the note's tax is its
// VAT fraction at the invoice's rate, and the note that completes the invoice takes exactly what is left of its net
// and tax (partOfTaxedTotal): an invoice's credit notes never add up to more than it, nor to a cent less once all of
// it is given back.
import type { Day } from '../domain/calendar';
import type { LineKind } from '../domain/invoice';
import type { Cents } from '../domain/money';
import { partOfTaxedTotal, type TaxedAmount } from '../domain/tax';
import { issueCreditNote, type CreditNoteReason, type CreditNoteRow } from './credit-notes';
import type { SellerSettings } from './documents';
import { nonRetryable } from './failures';
import { lockInvoiceAndTeam } from './invoices';
import { issuedCreditNotes } from '../ledger/credit-notes';
import type { DbOrTrx, InvoiceRow } from '../ledger/rows';

export interface PartialCreditNoteInput {
  /** The business event it records, e.g. `<refund key>:credit_note`: the same key is the same credit note. */
  key: string;
  invoiceId: string;
  reason: CreditNoteReason;
  to: 'card' | 'balance';
  on: Day;
  at: string;
}

/** Credits `gross` (VAT included, positive) of the invoice, once under `key`. */
export async function issuePartialCreditNote(trx: DbOrTrx, seller: SellerSettings, input: PartialCreditNoteInput & { gross: Cents }): Promise<CreditNoteRow> {
  const stored = await storedNote(trx, input.key);
  if (stored) return stored;
  const invoice = await lockInvoiceAndTeam(trx, input.invoiceId); // one writer at a time sees what is left of it
  return creditPart(trx, seller, input, invoice, input.gross);
}

/** Credits whatever of the invoice's total no credit note gives back yet, once under `key`; null when nothing is left. */
export async function creditWhatIsLeft(trx: DbOrTrx, seller: SellerSettings, input: PartialCreditNoteInput): Promise<CreditNoteRow | null> {
  const stored = await storedNote(trx, input.key);
  if (stored) return stored;
  const invoice = await lockInvoiceAndTeam(trx, input.invoiceId);
  const left = invoice.total - (await creditedOf(trx, invoice.id)).total;
  return left > 0 ? creditPart(trx, seller, input, invoice, left) : null;
}

async function creditPart(trx: DbOrTrx, seller: SellerSettings, input: PartialCreditNoteInput, invoice: InvoiceRow, gross: Cents): Promise<CreditNoteRow> {
  const credited = await creditedOf(trx, invoice.id);
  let part: TaxedAmount;
  try {
    part = partOfTaxedTotal(gross, invoice, credited, invoice.tax_rate_bp);
  } catch (error) {
    throw nonRetryable('InvalidInput', `credit note ${input.key} on invoice ${invoice.number}: ${(error as Error).message}`, { key: input.key });
  }
  const first = (await trx('invoice_lines').where({ invoice_id: invoice.id }).orderBy('position').first('kind')) as { kind: LineKind } | undefined;
  const { creditNote } = await issueCreditNote(trx, seller, {
    key: input.key, invoiceId: invoice.id, reason: input.reason, to: input.to, on: input.on, at: input.at,
    lines: [{ kind: first?.kind ?? 'period', description: `Part of invoice ${invoice.number} given back`, amount: -part.net }],
    amounts: { net: -part.net, tax: -part.tax, total: -part.total },
  });
  return creditNote;
}

async function storedNote(trx: DbOrTrx, key: string): Promise<CreditNoteRow | null> {
  return ((await trx('credit_notes').where({ idempotency_key: key }).first()) as CreditNoteRow | undefined) ?? null;
}

/** What the invoice's credit notes give back so far, positive. */
async function creditedOf(trx: DbOrTrx, invoiceId: string): Promise<TaxedAmount> {
  const sums = (await issuedCreditNotes(trx).where({ invoice_id: invoiceId })
    .first(trx.raw('coalesce(-sum(net), 0)::bigint as net, coalesce(-sum(tax), 0)::bigint as tax, coalesce(-sum(total), 0)::bigint as total'))) as Record<keyof TaxedAmount, string | number>;
  return { net: Number(sums.net), tax: Number(sums.tax), total: Number(sums.total) };
}
