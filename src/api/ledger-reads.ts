// Reads of a team's money history from the ledger, shaped for the API (camelCase, amounts in cents).
import type { Db } from '../ledger/db';
import { issuedCreditNotes } from '../ledger/credit-notes';
import { workflowRunHistoryUrl, type TemporalUi } from '../observability/temporal-ui-links';

const invoiceColumns = {
  id: 'id', number: 'number', reason: 'reason', status: 'status', currency: 'currency', issuedOn: 'issued_on', dueOn: 'due_on', purchaseOrder: 'purchase_order',
  periodStart: 'period_start', periodEnd: 'period_end', net: 'net', tax: 'tax', taxRateBasisPoints: 'tax_rate_bp',
  taxTreatment: 'tax_treatment', taxCountry: 'tax_country', seller: 'seller', buyer: 'buyer', total: 'total', balanceApplied: 'balance_applied',
  creditsApplied: 'credits_applied', charged: 'charged', closedAt: 'closed_at', workflowId: 'workflow_id', runId: 'run_id',
};
const paymentColumns = {
  id: 'id', invoiceId: 'invoice_id', provider: 'provider', method: 'method', amount: 'amount', status: 'status',
  refundedAmount: 'refunded_amount', paidAt: 'paid_at',
};

export interface PaymentRecord {
  id: string;
  invoiceId: string | null;
  provider: string;
  amount: number;
  refundedAmount: number;
  status: string;
  paidAt: string | Date;
}

/**
 * Evidence for a charge: the workflow run that produced the invoice, and a link to its history in the Temporal UI
 * (null without a known UI, or for an invoice written outside a workflow).
 */
function withEvidence(ui: TemporalUi | null) {
  return <T extends { workflowId?: string | null; runId?: string | null }>({ workflowId = null, runId = null, ...invoice }: T) => ({
    ...invoice,
    evidence: {
      workflowId,
      runId,
      temporalUiUrl: ui && workflowId && runId ? workflowRunHistoryUrl(ui, workflowId, runId) : null,
    },
  });
}

export function ledgerReads(db: Db, options: { temporalUi?: TemporalUi | null } = {}) {
  const evidence = withEvidence(options.temporalUi ?? null);
  return {
    async invoices(teamId: string) {
      const rows = await db('invoices').where({ team_id: teamId }).orderBy([{ column: 'issued_on', order: 'desc' }, { column: 'created_at', order: 'desc' }]).select(invoiceColumns);
      return rows.map(evidence);
    },

    /** One invoice with its lines and payments; null when it is not this team's. */
    async invoice(teamId: string, invoiceId: string) {
      const invoice = await db('invoices').where({ team_id: teamId, id: invoiceId }).first(invoiceColumns);
      if (!invoice) return null;
      const [lines, payments] = await Promise.all([
        db('invoice_lines').where({ invoice_id: invoiceId }).orderBy('position').select('kind', 'description', 'amount', 'quantity', { periodStart: 'period_start', periodEnd: 'period_end' }),
        db('payments').where({ invoice_id: invoiceId }).orderBy('paid_at').select(paymentColumns),
      ]);
      return { ...evidence(invoice), lines, payments };
    },

    /** Credit notes (section 13), newest first: each with the number of the invoice it corrects and its lines. */
    async creditNotes(teamId: string) {
      const notes = await db('credit_notes')
        .join('invoices', 'invoices.id', 'credit_notes.invoice_id')
        .where({ 'credit_notes.team_id': teamId })
        .orderBy([{ column: 'credit_notes.issued_on', order: 'desc' }, { column: 'credit_notes.number', order: 'desc' }])
        .select({
          id: 'credit_notes.id', number: 'credit_notes.number', invoiceId: 'invoices.id', invoiceNumber: 'invoices.number', reason: 'credit_notes.reason',
          to: 'credit_notes.to', currency: 'credit_notes.currency', issuedOn: 'credit_notes.issued_on', net: 'credit_notes.net', tax: 'credit_notes.tax',
          taxRateBasisPoints: 'credit_notes.tax_rate_bp', taxTreatment: 'credit_notes.tax_treatment', taxCountry: 'credit_notes.tax_country',
          seller: 'credit_notes.seller', buyer: 'credit_notes.buyer', total: 'credit_notes.total', status: 'credit_notes.status', voidedOn: 'credit_notes.voided_on',
          // How the corrected invoice was paid: a refund gives each part back the way it came (section 10).
          invoiceBalanceApplied: 'invoices.balance_applied', invoiceCreditsApplied: 'invoices.credits_applied', invoiceCharged: 'invoices.charged',
        });
      const lines = await db('credit_note_lines').whereIn('credit_note_id', notes.map((note: { id: string }) => note.id)).orderBy('position')
        .select({ creditNoteId: 'credit_note_id' }, 'kind', 'description', 'amount');
      return notes.map((note: { id: string }) => ({
        ...note,
        lines: lines.filter((line: { creditNoteId: string }) => line.creditNoteId === note.id).map(({ creditNoteId: _id, ...line }: { creditNoteId: string }) => line),
      }));
    },

    /** What a void checks first: the invoice's status and total, and what its credit notes gave back (positive). */
    async invoiceToVoid(teamId: string, invoiceId: string): Promise<{ id: string; number: string; status: string; total: number; credited: number } | null> {
      const invoice = (await db('invoices').where({ team_id: teamId, id: invoiceId }).first('id', 'number', 'status', 'total')) as { id: string; number: string; status: string; total: number } | undefined;
      if (!invoice) return null;
      const credited = (await issuedCreditNotes(db).where({ invoice_id: invoiceId }).first(db.raw('coalesce(-sum(total), 0)::bigint as total'))) as { total: string | number };
      return { ...invoice, credited: Number(credited.total) };
    },

    payments(teamId: string): Promise<PaymentRecord[]> {
      return db('payments').where({ team_id: teamId }).orderBy('paid_at', 'desc').select(paymentColumns);
    },

    async payment(teamId: string, paymentId: string): Promise<PaymentRecord | null> {
      return ((await db('payments').where({ team_id: teamId, id: paymentId }).first(paymentColumns)) as PaymentRecord | undefined) ?? null;
    },

    /** The team balance (refunds kept for the team) is the sum of its transactions. */
    async balance(teamId: string) {
      const transactions = await db('balance_transactions')
        .where({ team_id: teamId })
        .orderBy('id', 'desc')
        .select('amount', 'reason', 'on', { invoiceId: 'invoice_id' });
      return { balance: transactions.reduce((sum: number, t: { amount: number }) => sum + t.amount, 0), transactions };
    },

    /** Every credit acquisition, contribution, use and expiry touching the team. */
    creditHistory(teamId: string) {
      return db('credit_transactions')
        .where({ team_id: teamId })
        .orderBy('at', 'desc')
        .select('kind', 'amount', 'at', { grantId: 'grant_id', userId: 'user_id', invoiceId: 'invoice_id' });
    },

    notifications(teamId: string) {
      return db('notifications').where({ team_id: teamId }).orderBy('id', 'desc').select('id', 'kind', 'on', 'payload', { createdAt: 'created_at' });
    },

    async billingCountry(teamId: string): Promise<string | null> {
      const row = (await db('teams').where({ id: teamId }).first('billing_country')) as { billing_country: string } | undefined;
      return row?.billing_country ?? null;
    },
  };
}

export type LedgerReads = ReturnType<typeof ledgerReads>;
