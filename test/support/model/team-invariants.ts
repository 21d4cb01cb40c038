// What must hold for one team after every step of a timeline, read from the ledger's rows and the workflow's own
// queries, never recomputed by a second implementation of the rules:
// - coverage: the paid period the workflow is in is billed by exactly one period invoice (paid, or open in dunning);
//   no day of a trial or of Free is covered by a paid, unrefunded period invoice;
// - no two paid, unrefunded period invoices bill the same period;
// - no credit was used after its grant's last second; the balance is never below zero;
// - no invoice's issued credit notes give back more than its total (void notes gave nothing);
// - agreement: the renewal sweep's drift check finds nothing between the ledger and the workflow.
import type { Db } from '../../../src/ledger/db';
import { driftOf } from '../../../src/activities/sweep-drift';
import { listLedgerSubscriptions } from '../../../src/activities/sweep-ledger';
import type { Day } from '../../../src/domain';
import type { TeamSubscriptionView } from '../../../src/workflows';

const PERIOD_REASONS = ['trial_end', 'subscribe', 'renewal', 'plan_change'];

export interface PeriodInvoice {
  id: string;
  reason: string;
  status: string;
  period_start: Day;
  period_end: Day;
  created_at: Date;
  refunded: boolean;
}

/** The team's period invoices (not void), oldest first, each with whether any part of it was given back. */
export async function periodInvoices(db: Db, teamId: string): Promise<PeriodInvoice[]> {
  const rows = (await db('invoices')
    .where({ team_id: teamId })
    .whereIn('reason', PERIOD_REASONS)
    .whereNot({ status: 'void' })
    .whereNotNull('period_start')
    .orderBy('created_at')
    .select('id', 'reason', 'status', 'period_start', 'period_end', 'created_at')) as Omit<PeriodInvoice, 'refunded'>[];
  const refunded = new Set(await refundedInvoices(db, teamId));
  return rows.map((row) => ({ ...row, refunded: refunded.has(row.id) }));
}

/** Invoices refunded (section 10): the ledger marks each with the moment its refund was made. */
export async function refundedInvoices(db: Db, teamId: string): Promise<string[]> {
  return (await db('invoices').where({ team_id: teamId }).whereNotNull('refunded_at').pluck('id')) as string[];
}

/**
 * The day an invoice stops billing: its period's end; or the day an immediate plan change that credited its unused
 * time started the next period; or the day dunning gave up on another invoice of that period (section 9: Free that
 * day, the rest of the period lost).
 */
function coveredUntil(invoice: PeriodInvoice, all: PeriodInvoice[], droppedOn: Day[]): Day {
  const replaced = all.filter((later) => later.reason === 'plan_change' && later.created_at > invoice.created_at &&
    later.period_start >= invoice.period_start && later.period_start < invoice.period_end).map((later) => later.period_start);
  const dropped = droppedOn.filter((day) => day >= invoice.period_start && day < invoice.period_end);
  return [...replaced, ...dropped].reduce((end, day) => (day < end ? day : end), invoice.period_end);
}

/** The days dunning gave up on one of the team's invoices (it is marked failed that day). */
async function dunningGaveUp(db: Db, teamId: string): Promise<Day[]> {
  const rows = (await db('invoices').where({ team_id: teamId, status: 'failed' }).select('closed_at')) as { closed_at: Date }[];
  return rows.map((row) => row.closed_at.toISOString().slice(0, 10));
}

/** Every problem found for the team at `view.today`; empty when all holds. */
export async function teamProblems(db: Db, view: TeamSubscriptionView): Promise<string[]> {
  const problems: string[] = [];
  const today = view.today;
  const invoices = await periodInvoices(db, view.teamId);
  const billing = invoices.filter((invoice) => invoice.status === 'paid' && !invoice.refunded);

  if (view.plan !== 'free' && view.period && !view.seatOrder && view.status !== 'trialing') {
    const { start, end } = view.period;
    const current = invoices.filter((invoice) => invoice.period_start === start && invoice.period_end === end && !invoice.refunded &&
      (invoice.status === 'paid' || (invoice.status === 'open' && view.dunning?.invoiceId === invoice.id)));
    if (current.length !== 1) problems.push(`coverage: the period ${start} → ${end} (${view.status}) is billed by ${current.length} invoices: ${describe(invoices)}`);
  }
  if (view.status === 'free' || view.status === 'trialing') {
    const droppedOn = await dunningGaveUp(db, view.teamId);
    const covering = billing.filter((invoice) => invoice.period_start <= today && today < coveredUntil(invoice, invoices, droppedOn));
    if (covering.length > 0) problems.push(`coverage: ${today} is ${view.status} but billed by ${describe(covering)}`);
  }
  const periods = billing.map((invoice) => `${invoice.period_start}→${invoice.period_end}`);
  const twice = periods.filter((period, i) => periods.indexOf(period) !== i);
  if (twice.length > 0) problems.push(`coverage: periods billed twice: ${twice.join(', ')}`);

  const late = (await db('credit_transactions as t')
    .join('credit_grants as g', 'g.id', 't.grant_id')
    .where({ 't.team_id': view.teamId, 't.kind': 'used' })
    .whereRaw('t.at > g.expires_at')
    .select('t.id')) as unknown[];
  if (late.length > 0) problems.push(`credits: ${late.length} use(s) after the grant's last second`);
  const balance = Number((await db('balance_transactions').where({ team_id: view.teamId }).sum({ sum: 'amount' }).first())?.sum ?? 0);
  if (balance < 0) problems.push(`balance: ${balance} is below zero`);
  const overCredited = (await db('invoices')
    .join('credit_notes', 'credit_notes.invoice_id', 'invoices.id')
    .where({ 'invoices.team_id': view.teamId, 'credit_notes.status': 'issued' })
    .groupBy('invoices.number', 'invoices.total')
    .havingRaw('-sum(credit_notes.total) > invoices.total')
    .select('invoices.number')) as { number: string }[];
  if (overCredited.length > 0) problems.push(`credit notes: ${overCredited.map((i) => i.number).join(', ')} credited beyond their totals`);

  problems.push(...(await driftProblems(db, view)));
  return problems;
}

/** The renewal sweep's own judgment of this team, as it would make it today. */
async function driftProblems(db: Db, view: TeamSubscriptionView): Promise<string[]> {
  const { subscriptions } = await listLedgerSubscriptions(db, { today: view.today, after: '', limit: 1, teamId: view.teamId });
  const ledger = subscriptions.find((subscription) => subscription.teamId === view.teamId);
  if (!ledger) return [];
  const drift = driftOf(ledger, view);
  return drift.length === 0 ? [] : [`agreement: the sweep finds ${drift.join(', ')} drift: ledger ${JSON.stringify(ledger.period)} ${ledger.plan}/${ledger.interval}, workflow ${view.plan}/${view.interval} ${JSON.stringify(view.period)} ${view.status}`];
}

function describe(invoices: PeriodInvoice[]): string {
  return invoices.map((i) => `${i.reason} ${i.period_start}→${i.period_end} ${i.status}${i.refunded ? ' refunded' : ''}`).join('; ') || 'none';
}
