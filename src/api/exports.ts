// Exports for the accountant (section 13): every numbered document of a month, and the tax of a quarter per
// country and rate (an OSS return's figures). Both read the ledger's documents as they were issued: the parties,
// rates and amounts stored with each invoice and credit note, never recomputed.
import type { Db } from '../ledger/db';
import { issuedCreditNotes } from '../ledger/credit-notes';
import { addDays, type Day } from '../domain/calendar';
import { creditNoteParts } from '../domain/refunds';
import { formatRate } from '../domain/tax';

export interface ExportedDocument {
  number: string;
  kind: 'invoice' | 'credit_note';
  date: Day;
  customer: string;
  country: string;
  taxId: string;
  net: number;
  tax: number;
  total: number;
  currency: string;
  /** How it was paid (a credit note: how its money went back, negative); 0 for an invoice not paid. */
  paidByBalance: number;
  paidWithCredits: number;
  paidByCard: number;
  status: string;
}

interface Party {
  legalName?: string;
  country?: string;
  taxId?: string | null;
}

/** [from, until) of `2026-11`. */
export function monthRange(month: string): { from: Day; until: Day } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, until: `${next}-01` };
}

/** [from, until) of `2026-Q4`. */
export function quarterRange(quarter: string): { from: Day; until: Day } {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
  const first = (q - 1) * 3 + 1;
  const from = `${year}-${String(first).padStart(2, '0')}-01`;
  return { from, until: q === 4 ? `${year + 1}-01-01` : `${year}-${String(first + 3).padStart(2, '0')}-01` };
}

/** Invoices and credit notes issued in [from, until), by date then number. */
export async function documentsIssued(db: Db, { from, until }: { from: Day; until: Day }): Promise<ExportedDocument[]> {
  const invoices = (await db('invoices').where('issued_on', '>=', from).where('issued_on', '<', until)
    .select('number', 'issued_on', 'buyer', 'tax_country', 'net', 'tax', 'total', 'currency', 'balance_applied', 'credits_applied', 'charged', 'status',
      { paid_then_voided: voidedWhenPaid(db) })) as Record<string, unknown>[];
  const notes = (await db('credit_notes').join('invoices', 'invoices.id', 'credit_notes.invoice_id')
    .where('credit_notes.issued_on', '>=', from).where('credit_notes.issued_on', '<', until)
    .select('credit_notes.number', 'credit_notes.issued_on', 'credit_notes.buyer', 'credit_notes.tax_country', 'credit_notes.net', 'credit_notes.tax',
      'credit_notes.total', 'credit_notes.currency', 'credit_notes.reason', 'credit_notes.to', { note_status: 'credit_notes.status' },
      'invoices.balance_applied', 'invoices.credits_applied', 'invoices.charged')) as Record<string, unknown>[];
  const party = (row: Record<string, unknown>) => (row.buyer ?? {}) as Party;
  const base = (row: Record<string, unknown>) => ({
    number: row.number as string, date: row.issued_on as Day, customer: party(row).legalName ?? '', country: (row.tax_country as string | null) ?? party(row).country ?? '',
    taxId: party(row).taxId ?? '', net: row.net as number, tax: row.tax as number, total: row.total as number, currency: row.currency as string,
  });
  const documents: ExportedDocument[] = [
    ...invoices.map((row) => {
      // A paid invoice voided was paid all the same: its void credit note gives those parts back.
      const paid = row.status === 'paid' || row.paid_then_voided === true;
      return {
        ...base(row), kind: 'invoice' as const, status: row.status as string,
        paidByBalance: paid ? (row.balance_applied as number) : 0, paidWithCredits: paid ? (row.credits_applied as number) : 0, paidByCard: paid ? (row.charged as number) : 0,
      };
    }),
    ...notes.map((row) => {
      // A whole refund gives each part of the invoice back the way it came; a partial one, or a removed member's, one way.
      // A void note (its balance credit taken back) keeps its number and gave nothing back: `voided`, nothing paid.
      if (row.note_status === 'void') return { ...base(row), kind: 'credit_note' as const, status: 'voided', paidByBalance: 0, paidWithCredits: 0, paidByCard: 0 };
      const note = { reason: row.reason as string, to: row.to as 'card' | 'balance', total: row.total as number };
      const went = creditNoteParts(note, { balance: row.balance_applied as number, credits: row.credits_applied as number, card: row.charged as number });
      return { ...base(row), kind: 'credit_note' as const, status: note.reason, paidByBalance: -went.balance, paidWithCredits: -went.credits, paidByCard: -went.card };
    }),
  ];
  return documents.sort((a, b) => (a.date === b.date ? a.number.localeCompare(b.number) : a.date < b.date ? -1 : 1));
}

/** Cents as `1234.56` / `-10.65`: integer arithmetic, no float. */
export function decimal(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const field = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export const DOCUMENT_COLUMNS = ['number', 'kind', 'date', 'customer', 'country', 'tax_id', 'net', 'tax', 'total', 'currency',
  'paid_by_balance', 'paid_with_credits', 'paid_by_card', 'status'] as const;

export function documentsCsv(documents: readonly ExportedDocument[]): string {
  const rows = documents.map((d) => [d.number, d.kind, d.date, d.customer, d.country, d.taxId, decimal(d.net), decimal(d.tax), decimal(d.total),
    d.currency.toUpperCase(), decimal(d.paidByBalance), decimal(d.paidWithCredits), decimal(d.paidByCard), d.status].map(field).join(','));
  return `${[DOCUMENT_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export interface TaxReturnLine {
  country: string;
  treatment: string;
  rateBasisPoints: number;
  rate: string;
  net: number;
  tax: number;
  invoices: number;
  creditNotes: number;
}

/**
 * A void invoice that had been paid: its void credit note (section 13) corrects it, so the invoice stays in the
 * figures and the note takes it back out. An invoice voided unpaid has no note and was never owed.
 */
function voidedWhenPaid(db: Db) {
  return db.raw("exists (select 1 from credit_notes v where v.invoice_id = invoices.id and v.reason = 'void')");
}

/** Tax per country, treatment and rate over [from, until): invoices (void ones never owed) less issued credit notes. */
export async function taxReturn(db: Db, range: { from: Day; until: Day }): Promise<{ from: Day; to: Day; lines: TaxReturnLine[]; net: number; tax: number }> {
  const counted = {
    invoices: () => db('invoices').where((owed) => owed.whereNot({ status: 'void' }).orWhere(voidedWhenPaid(db))),
    credit_notes: () => issuedCreditNotes(db), // a void credit note gave nothing back
  };
  const grouped = async (table: 'invoices' | 'credit_notes') => (await counted[table]()
    .where('issued_on', '>=', range.from).where('issued_on', '<', range.until)
    .groupBy('tax_country', 'tax_treatment', 'tax_rate_bp')
    .select({ country: 'tax_country', treatment: 'tax_treatment', rateBasisPoints: 'tax_rate_bp' })
    .sum({ net: 'net', tax: 'tax' }).count({ documents: '*' })) as { country: string | null; treatment: string; rateBasisPoints: number; net: string; tax: string; documents: string }[];
  const lines = new Map<string, TaxReturnLine>();
  for (const [kind, rows] of [['invoices', await grouped('invoices')], ['creditNotes', await grouped('credit_notes')]] as const) {
    for (const row of rows) {
      const key = `${row.country ?? ''}:${row.treatment}:${row.rateBasisPoints}`;
      const line = lines.get(key) ?? { country: row.country ?? '', treatment: row.treatment, rateBasisPoints: row.rateBasisPoints, rate: formatRate(row.rateBasisPoints), net: 0, tax: 0, invoices: 0, creditNotes: 0 };
      line.net += Number(row.net); // sums of bigint arrive as strings
      line.tax += Number(row.tax);
      line[kind] += Number(row.documents);
      lines.set(key, line);
    }
  }
  const sorted = [...lines.values()].sort((a, b) => a.country.localeCompare(b.country) || a.rateBasisPoints - b.rateBasisPoints || a.treatment.localeCompare(b.treatment));
  return {
    from: range.from, to: addDays(range.until, -1), lines: sorted,
    net: sorted.reduce((sum, line) => sum + line.net, 0), tax: sorted.reduce((sum, line) => sum + line.tax, 0),
  };
}
