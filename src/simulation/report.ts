import type { Db } from '../ledger/db';
import { issuedCreditNotes } from '../ledger/credit-notes';
import type { Day } from '../domain';

/** The report of shared/spec/simulation.md; other tools read it, so its shape is fixed. */
export interface SimulationReport {
  invoices: {
    on: Day;
    reason: string;
    /** INV-2026-000001. */
    number: string;
    lines: { description: string; amount: number }[];
    /** One tax line (section 13); 0 where untaxed. total = Σ lines + tax. */
    tax: number;
    total: number;
    balanceApplied: number;
    creditsApplied: number;
    charged: number;
    status: 'paid' | 'open' | 'failed' | 'void';
  }[];
  /** Money given back on issued invoices (section 13), in date order; totals are negative. */
  creditNotes: { on: Day; number: string; invoice: string; lines: { description: string; amount: number }[]; tax: number; total: number; to: 'card' | 'balance' }[];
  balance: { on: Day; amount: number; reason: string }[];
  notifications: { on: Day; kind: string }[];
  final: FinalState;
}

export interface FinalState {
  plan: string;
  interval: 'month' | 'year' | null;
  status: 'trialing' | 'active' | 'past_due' | 'free';
  members: number;
  seats: number | null;
  balance: number;
  credits: number;
  periodEnd: Day | null;
  pendingChange: { plan: string; interval: 'month' | 'year'; effectiveOn: Day } | null;
  restricted: boolean;
}

/** What the ledger holds for the team, in date order, in the report's shape. */
export async function ledgerReport(db: Db, teamId: string): Promise<Omit<SimulationReport, 'final'>> {
  const invoices = await db('invoices').where({ team_id: teamId }).orderBy([{ column: 'issued_on' }, { column: 'created_at' }]);
  const lines = await db('invoice_lines')
    .whereIn('invoice_id', invoices.map((invoice) => invoice.id))
    .orderBy([{ column: 'invoice_id' }, { column: 'position' }]);
  const balance = await db('balance_transactions').where({ team_id: teamId }).orderBy([{ column: 'on' }, { column: 'id' }]);
  const notifications = await db('notifications').where({ team_id: teamId }).orderBy([{ column: 'on' }, { column: 'id' }]);
  return {
    invoices: invoices.map((invoice) => ({
      on: invoice.issued_on,
      reason: invoice.reason,
      number: invoice.number,
      lines: lines.filter((line) => line.invoice_id === invoice.id).map((line) => ({ description: line.description, amount: line.amount })),
      tax: invoice.tax,
      total: invoice.total,
      balanceApplied: invoice.balance_applied,
      creditsApplied: invoice.credits_applied,
      charged: invoice.status === 'paid' ? invoice.charged : 0, // what the card actually paid
      status: invoice.status,
    })),
    creditNotes: await creditNotesReport(db, teamId),
    balance: balance.map((row) => ({ on: row.on, amount: row.amount, reason: row.reason })),
    notifications: notifications.map((row) => ({ on: row.on, kind: row.kind })),
  };
}

async function creditNotesReport(db: Db, teamId: string): Promise<SimulationReport['creditNotes']> {
  const notes = await issuedCreditNotes(db) // money given back: a void note gave none
    .join('invoices', 'invoices.id', 'credit_notes.invoice_id')
    .where({ 'credit_notes.team_id': teamId })
    .orderBy([{ column: 'credit_notes.issued_on' }, { column: 'credit_notes.number' }])
    .select('credit_notes.*', 'invoices.number as invoice_number');
  const lines = await db('credit_note_lines').whereIn('credit_note_id', notes.map((note) => note.id)).orderBy(['credit_note_id', 'position']);
  return notes.map((note) => ({
    on: note.issued_on,
    number: note.number,
    invoice: note.invoice_number,
    lines: lines.filter((line) => line.credit_note_id === note.id).map((line) => ({ description: line.description, amount: line.amount })),
    tax: note.tax,
    total: note.total,
    to: note.to,
  }));
}
