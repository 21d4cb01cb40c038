import type { Db } from '../db/knex';
import type { Day } from '../domain';

/** The report of shared/spec/simulation.md; other tools read it, so its shape is fixed. */
export interface SimulationReport {
  invoices: {
    on: Day;
    reason: string;
    lines: { description: string; amount: number }[];
    total: number;
    balanceApplied: number;
    creditsApplied: number;
    charged: number;
    status: 'paid' | 'open' | 'failed' | 'void';
  }[];
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
      lines: lines.filter((line) => line.invoice_id === invoice.id).map((line) => ({ description: line.description, amount: line.amount })),
      total: invoice.total,
      balanceApplied: invoice.balance_applied,
      creditsApplied: invoice.credits_applied,
      charged: invoice.status === 'paid' ? invoice.charged : 0, // what the card actually paid
      status: invoice.status,
    })),
    balance: balance.map((row) => ({ on: row.on, amount: row.amount, reason: row.reason })),
    notifications: notifications.map((row) => ({ on: row.on, kind: row.kind })),
  };
}
