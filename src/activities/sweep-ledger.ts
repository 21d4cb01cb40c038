// What the ledger says each team's subscription is, for the renewal sweep: the latest invoice that started a paid
// period (its period, and the plan, interval and members its `period` line was priced for), and the team's
// invoices still open (being collected, or in dunning).
import { addDays, INTERVALS, PLANS, type Day, type Interval, type PaidPlan, type Period } from '../domain';
import type { Cents } from '../domain/money';
import type { DbOrTrx } from '../ledger/rows';

/** Invoices that start a period of the team workflow's subscription. */
const PERIOD_REASONS = ['trial_end', 'subscribe', 'renewal', 'plan_change'];
/** Invoices the team workflow collects itself, with dunning; seat orders (invoice-first) wait for payment open. */
const DUNNED_REASONS = [...PERIOD_REASONS, 'member_review'];
/** Periods that ended this many days ago are still listed, so a renewal that did not happen is noticed. */
export const RENEWAL_OVERDUE_WINDOW_DAYS = 7;

export interface OpenInvoice {
  invoiceId: string;
  key: string;
  total: Cents;
  issuedOn: Day;
}

export interface LedgerSubscription {
  teamId: string;
  team: { name: string; billingCountry: string; organizationId?: string };
  plan: PaidPlan;
  interval: Interval;
  /** Members the period was priced for (changes since are billed later, so they are not in the ledger yet). */
  members: number;
  period: Period;
  /** The invoice that started the period. */
  invoiceId: string;
  reason: string;
  /** Oldest first. */
  openInvoices: OpenInvoice[];
}

interface LatestRow {
  team_id: string;
  id: string;
  reason: string;
  period_start: Day;
  period_end: Day;
  name: string;
  billing_country: string;
  organization_id: string | null;
}

interface PeriodLineRow {
  invoice_id: string;
  plan: string | null;
  interval: string | null;
  quantity: number | null;
}

/**
 * The plan, interval and members a period line was priced for, from its columns. Null for a line without them
 * (written before they existed, with a description the migration could not read): it is reported, never guessed.
 */
export function pricedFor(line: PeriodLineRow | undefined): { plan: PaidPlan; interval: Interval; members: number } | null {
  const plan = PLANS.find((known) => known !== 'free' && known === line?.plan) as PaidPlan | undefined;
  const interval = INTERVALS.find((known) => known === line?.interval);
  const members = line?.quantity;
  if (!plan || !interval || typeof members !== 'number' || !Number.isInteger(members) || members < 0) return null;
  return { plan, interval, members };
}

/**
 * One page, by team ID, of the teams whose latest period invoice is paid or open, not refunded nor ended by dunning, and whose period has not ended
 * more than RENEWAL_OVERDUE_WINDOW_DAYS before `today`. A period line the sweep cannot read is left out (and
 * returned apart, so the sweep reports it).
 */
export async function listLedgerSubscriptions(
  db: DbOrTrx,
  { today, after, limit, teamId }: { today: Day; after: string; limit: number; /** One team's, alone. */ teamId?: string },
): Promise<{ subscriptions: LedgerSubscription[]; unreadable: string[]; last: string | null }> {
  const latest = db('invoices')
    .distinctOn('team_id')
    .select('team_id', 'id', 'reason', 'status', 'period_start', 'period_end', 'refunded_at')
    .whereIn('reason', PERIOD_REASONS)
    .whereNotNull('period_start')
    .where('team_id', '>', after)
    .modify((query) => { if (teamId) query.where('team_id', teamId); })
    .orderBy([{ column: 'team_id' }, { column: 'period_start', order: 'desc' }, { column: 'created_at', order: 'desc' }])
    .as('latest');
  const rows = (await db
    .from(latest)
    .join('teams', 'teams.id', 'latest.team_id')
    .whereIn('latest.status', ['paid', 'open'])
    .whereNull('latest.refunded_at') // a refund ended the period it billed
    // Dunning that gave up on another invoice of the period (a member review) dropped the team to Free (section 9).
    .whereNotExists(db('invoices as failed').whereRaw('failed.team_id = latest.team_id').where('failed.status', 'failed')
      .whereRaw('failed.issued_on >= latest.period_start'))
    .where('latest.period_end', '>=', addDays(today, -RENEWAL_OVERDUE_WINDOW_DAYS))
    .orderBy('latest.team_id')
    .limit(limit)
    .select('latest.*', 'teams.name', 'teams.billing_country', 'teams.organization_id')) as LatestRow[];
  if (rows.length === 0) return { subscriptions: [], unreadable: [], last: null };

  const lines = (await db('invoice_lines')
    .whereIn('invoice_id', rows.map((row) => row.id))
    .where({ kind: 'period' })
    .orderBy('position')
    .select('invoice_id', 'plan', 'interval', 'quantity')) as PeriodLineRow[];
  const periodLine = new Map(lines.map((line) => [line.invoice_id, line])); // the last one wins
  const open = (await db('invoices')
    .whereIn('team_id', rows.map((row) => row.team_id))
    .whereIn('reason', DUNNED_REASONS)
    .where({ status: 'open' })
    .orderBy([{ column: 'issued_on' }, { column: 'created_at' }])
    .select('id', 'team_id', 'idempotency_key', 'total', 'issued_on')) as { id: string; team_id: string; idempotency_key: string; total: Cents; issued_on: Day }[];

  const subscriptions: LedgerSubscription[] = [];
  const unreadable: string[] = [];
  for (const row of rows) {
    const priced = pricedFor(periodLine.get(row.id));
    if (!priced) {
      unreadable.push(row.team_id);
      continue;
    }
    subscriptions.push({
      teamId: row.team_id,
      team: { name: row.name, billingCountry: row.billing_country, ...(row.organization_id ? { organizationId: row.organization_id } : {}) },
      ...priced,
      period: { start: row.period_start, end: row.period_end },
      invoiceId: row.id,
      reason: row.reason,
      openInvoices: open
        .filter((invoice) => invoice.team_id === row.team_id)
        .map((invoice) => ({ invoiceId: invoice.id, key: invoice.idempotency_key, total: invoice.total, issuedOn: invoice.issued_on })),
    });
  }
  return { subscriptions, unreadable, last: rows[rows.length - 1]!.team_id };
}
