import type { Day, Instant } from '../domain/calendar';
import type { InvoiceLine, InvoiceReason } from '../domain/invoice';
import { sumCents, type Cents } from '../domain/money';
import { taxLines } from '../domain/tax';
import { metrics } from '../observability/metrics';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, requireCents, requireText } from './failures';
import { buyerOf, DEFAULT_SELLER, documentTaxRate, insertNumbered, sellerParty, taxColumns } from './documents';
import { newId, type DbOrTrx, type InvoiceRow, type InvoiceStatus } from '../ledger/rows';
import { availableSources, planColumns, planPayment } from './payment-sources';
import { invoiceIssued, invoiceVoided } from '../ledger/outbox/ledger-events';
import { relayAfterWrite } from './relay';

/** A line as the domain built it: its amount rounded once (negative for unused time); a period line's plan and members. */
export interface InvoiceLineInput extends InvoiceLine {
  periodStart?: Day;
  periodEnd?: Day;
}

export interface IssueInvoiceInput {
  /** Business facts, e.g. `team-1:2026-06-20:renewal`: the same key is the same invoice. */
  key: string;
  teamId: string;
  reason: InvoiceReason;
  issuedOn: Day;
  dueOn?: Day;
  /** Invoice first: the buyer's purchase-order reference, printed on the invoice. */
  purchaseOrder?: string;
  periodStart?: Day;
  periodEnd?: Day;
  lines: InvoiceLineInput[];
  workflowId: string;
  runId: string;
  /** When the plan is made: grants expired at this instant are not planned on. */
  at: Instant;
}

/** An invoice and how it is (to be) paid: total = net + tax = balanceApplied + creditsApplied + charged. */
export interface InvoiceSummary {
  invoiceId: string;
  number: string;
  net: Cents;
  tax: Cents;
  total: Cents;
  balanceApplied: Cents;
  creditsApplied: Cents;
  charged: Cents;
  status: InvoiceStatus;
}

/**
 * Where the issued invoice's collection runs: `local`, a local activity in the workflow task that issued it (no limit
 * on charges a second); `charges-queue`, the charges task queue the server paces at PAYMENT_PROVIDER_MAX_RPS.
 */
export type CollectOn = 'local' | 'charges-queue';

export interface IssuedInvoice extends InvoiceSummary {
  collectOn: CollectOn;
}

export interface CloseInvoiceInput {
  invoiceId: string;
  at: Instant;
}

export function invoiceActivities({ db, seller = DEFAULT_SELLER, maxChargesPerSecond }: BillingDependencies) {
  const collectOn: CollectOn = maxChargesPerSecond === undefined ? 'local' : 'charges-queue';
  return {
    /**
     * Writes an open invoice, numbered, with its lines and one tax line at the team's rate on the day it is issued
     * (section 13), and the plan of how its total (lines + tax) will be paid (section 4) from what the team has now.
     * The plan holds that balance and those credits for this invoice until it is paid, failed or void. The tax is
     * decided here, in the issuing transaction, so the workflow's commands are the same taxed or not. The answer also
     * says where its collection runs (CollectOn): recorded with the answer, the workflow's choice replays as it was made.
     */
    async issueInvoice(input: IssueInvoiceInput): Promise<IssuedInvoice> {
      requireText(input.key, 'key');
      if (input.lines.length === 0) throw nonRetryable('InvalidInput', `invoice ${input.key} has no lines`);
      const amounts = input.lines.map((line, i) => requireCents(line.amount, `line ${i + 1} amount`));
      const net = sumCents(amounts);
      if (net < 0) {
        throw nonRetryable('InvalidInput', `invoice ${input.key} totals ${net}: money owed to the team goes to its balance (creditTeamBalance)`);
      }
      let written = false;
      let queued = 0;
      let total = net;
      const summary = await db.transaction(async (trx) => {
        const buyer = await buyerOf(trx, input.teamId, { lock: true }); // the team's lock first (lockTeam), and its details
        if (!buyer) throw nonRetryable('UnknownTeam', `no team ${input.teamId} in the ledger; ensureTeam first`, { teamId: input.teamId });
        const rate = documentTaxRate(buyer, input.issuedOn, seller);
        const taxed = taxLines(amounts, rate);
        const plan = planPayment(taxed.total, await availableSources(trx, input.teamId), input.at);
        const { row, created } = await insertNumbered<InvoiceRow>(trx, 'invoices', {
          id: newId('inv'),
          team_id: input.teamId,
          idempotency_key: input.key,
          reason: input.reason,
          status: 'open',
          issued_on: input.issuedOn,
          due_on: input.dueOn ?? null,
          purchase_order: input.purchaseOrder ?? null,
          period_start: input.periodStart ?? null,
          period_end: input.periodEnd ?? null,
          total: taxed.total,
          tax: taxed.tax,
          ...taxColumns(rate),
          seller: JSON.stringify(sellerParty(seller)),
          buyer: JSON.stringify(buyer),
          ...planColumns(plan),
          workflow_id: input.workflowId,
          run_id: input.runId,
        }, ['team_id', 'reason'], { series: seller.invoicePrefix, on: input.issuedOn });
        // Its lines are the fact; the tax was decided when it was first written, whatever the team's details are now.
        if (!created && row.net !== net) {
          throw nonRetryable('IdempotencyConflict', `invoices key ${input.key} was used with other lines (${row.net}, now ${net})`, { key: input.key });
        }
        written = created;
        total = row.total;
        if (created) {
          await trx('invoice_lines').insert(input.lines.map((line, i) => ({
            invoice_id: row.id,
            position: i + 1,
            kind: line.kind,
            description: line.description,
            amount: line.amount,
            plan: line.plan ?? null,
            interval: line.interval ?? null,
            quantity: line.quantity ?? null,
            period_start: line.periodStart ?? null,
            period_end: line.periodEnd ?? null,
            price_version: line.priceVersion ?? null,
          })));
          queued = await invoiceIssued(trx, row, input.lines, input.at);
        }
        return invoiceSummary(row);
      });
      await relayAfterWrite(db, { foundWritten: !written, queued });
      if (written) { // counted once committed, and once per invoice however often the activity is retried
        metrics().invoicesIssued.inc({ reason: input.reason });
        metrics().invoicedCents.inc({ reason: input.reason }, total);
      }
      return { ...summary, collectOn };
    },

    /** After the last dunning retry: the invoice is failed and nothing is taken from the balance or credits. */
    failInvoice: (input: CloseInvoiceInput) => closeUnpaid(db, input, 'failed'),

    /** An invoice-first order unpaid at its due date: void, and the order never starts. */
    voidInvoice: (input: CloseInvoiceInput) => closeUnpaid(db, input, 'void'),
  };
}

async function closeUnpaid(db: DbOrTrx, { invoiceId, at }: CloseInvoiceInput, status: 'failed' | 'void'): Promise<InvoiceSummary> {
  let closed = false;
  let queued = 0;
  const summary = await db.transaction(async (trx) => {
    const invoice = await lockInvoice(trx, invoiceId);
    if (invoice.status === status) return invoiceSummary(invoice);
    if (invoice.status !== 'open') throw invoiceClosed(invoice, `cannot mark it ${status}`);
    const [row] = (await trx('invoices')
      .where({ id: invoiceId })
      .update({ status, closed_at: at, updated_at: trx.fn.now() })
      .returning('*')) as InvoiceRow[];
    closed = true;
    if (status === 'void') queued = await invoiceVoided(trx, row as InvoiceRow, at);
    return invoiceSummary(row as InvoiceRow);
  });
  await relayAfterWrite(db, { foundWritten: !closed, queued });
  if (closed) metrics().invoicesClosedUnpaid.inc({ status });
  return summary;
}

export async function lockInvoice(trx: DbOrTrx, invoiceId: string): Promise<InvoiceRow> {
  const invoice = (await trx('invoices').where({ id: invoiceId }).forUpdate().first()) as InvoiceRow | undefined;
  if (!invoice) throw nonRetryable('UnknownInvoice', `no invoice ${invoiceId}`, { invoiceId });
  return invoice;
}

/**
 * Locks the team, then the invoice: the order every writer of a team's money takes them in. The team is found and
 * locked in one round trip (`teams where id = (invoice's team_id) for update`).
 */
export async function lockInvoiceAndTeam(trx: DbOrTrx, invoiceId: string): Promise<InvoiceRow> {
  const team = await trx('teams').where('id', trx('invoices').where({ id: invoiceId }).select('team_id')).forUpdate().first('id');
  if (!team) throw nonRetryable('UnknownInvoice', `no invoice ${invoiceId}`, { invoiceId });
  return lockInvoice(trx, invoiceId);
}

export function invoiceClosed(invoice: InvoiceRow, why: string, details: Record<string, unknown> = {}): Error {
  return nonRetryable('InvoiceClosed', `invoice ${invoice.id} is ${invoice.status}: ${why}`, { invoiceId: invoice.id, status: invoice.status, ...details });
}

export function invoiceSummary(row: InvoiceRow): InvoiceSummary {
  return {
    invoiceId: row.id,
    number: row.number,
    net: row.net,
    tax: row.tax,
    total: row.total,
    balanceApplied: row.balance_applied,
    creditsApplied: row.credits_applied,
    charged: row.charged,
    status: row.status,
  };
}
