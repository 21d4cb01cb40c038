// The ledger invariant, checked from the ledger's rows and the sandbox provider's own record of its charges, never
// from the code under test: fault tests end with it, and the model-based tests check it after every step.
import type { Knex } from 'knex';
import type { Db } from '../../src/ledger/db';

/** The whole ledger, or one team's part of it (the model-based tests check the team a timeline runs, step by step). */
export interface LedgerScope {
  teamId?: string;
}

export interface LedgerFigures {
  paidInvoices: number;
  payments: number;
  providerCharges: number;
  /** Cents the provider's succeeded charges add up to, and what the ledger recorded as paid by card. */
  chargedCents: number;
  recordedCents: number;
}

interface InvoiceRow {
  id: string;
  idempotency_key: string;
  status: string;
  total: number;
  balance_applied: number;
  credits_applied: number;
  charged: number;
}

/**
 * The invariant every fault test ends with, over the whole ledger:
 * - every paid invoice adds up: total = balance applied + credits applied + charged;
 * - a paid invoice has exactly one payment when it charged anything (of that amount), none otherwise; an unpaid
 *   invoice has none;
 * - the provider's succeeded charges and the ledger's payments (and API-credit purchases) are the same set, one to
 *   one by provider payment id, with the same amounts: nothing charged that the ledger does not know, nothing
 *   recorded that was not charged;
 * - no invoice has more than one succeeded charge, whatever its attempts;
 * - refunds never exceed what was paid: per payment (card), per invoice (balance applied, credits used);
 * - no team balance is negative.
 * Returns the figures; throws with every problem found.
 */
export async function checkLedgerInvariant(db: Db, scope: LedgerScope = {}): Promise<LedgerFigures> {
  const problems: string[] = [];
  const { teamId } = scope;
  const ofTeam = (query: Knex.QueryBuilder, column = 'team_id') => (teamId ? query.where(column, teamId) : query);
  const invoices = (await ofTeam(db('invoices')).select('id', 'idempotency_key', 'status', 'total', 'balance_applied', 'credits_applied', 'charged')) as InvoiceRow[];
  const payments = (await ofTeam(db('payments')).select('id', 'invoice_id', 'provider', 'provider_payment_id', 'amount', 'refunded_amount')) as {
    id: string; invoice_id: string | null; provider: string; provider_payment_id: string; amount: number; refunded_amount: number;
  }[];
  // API-credit purchases belong to accounts, not teams: one team's scope has none.
  const purchases = teamId ? [] : (await db('api_credit_purchases').select('provider', 'provider_payment_id', 'amount')) as { provider: string; provider_payment_id: string; amount: number }[];
  // A team's charges are keyed by its invoices' keys, which start with `<team>:`.
  const charges = (await db('sandbox_charges').whereIn('status', ['succeeded', 'refunded'])
    .modify((query) => { if (teamId) query.where('idempotency_key', 'like', `${likeLiteral(teamId)}:%`); })
    .select('id', 'idempotency_key', 'amount')) as { id: string; idempotency_key: string; amount: number }[];
  const chargesByInvoiceKey = byInvoiceKey(charges, new Set(invoices.map((invoice) => invoice.idempotency_key)));

  const paymentsByInvoice = new Map<string, typeof payments>();
  for (const payment of payments) {
    if (payment.invoice_id) paymentsByInvoice.set(payment.invoice_id, [...(paymentsByInvoice.get(payment.invoice_id) ?? []), payment]);
  }
  for (const invoice of invoices) {
    const paid = paymentsByInvoice.get(invoice.id) ?? [];
    // A paid invoice voided (section 13) keeps its payment, refunded in full by its void credit note.
    const voidedWhenPaid = invoice.status === 'void' && paid.every((payment) => payment.refunded_amount === payment.amount);
    if (invoice.status !== 'paid') {
      if (paid.length > 0 && !voidedWhenPaid) problems.push(`invoice ${invoice.idempotency_key} is ${invoice.status} but has ${paid.length} payment(s)`);
      continue;
    }
    const sum = invoice.balance_applied + invoice.credits_applied + invoice.charged;
    if (invoice.total !== sum) problems.push(`invoice ${invoice.idempotency_key}: total ${invoice.total} ≠ ${invoice.balance_applied} + ${invoice.credits_applied} + ${invoice.charged}`);
    const expected = invoice.charged > 0 ? 1 : 0;
    if (paid.length !== expected) problems.push(`invoice ${invoice.idempotency_key} is paid with ${paid.length} payment(s), expected ${expected}`);
    for (const payment of paid) {
      if (payment.amount !== invoice.charged) problems.push(`payment ${payment.id} of ${payment.amount} for invoice ${invoice.idempotency_key} which charged ${invoice.charged}`);
    }
    const invoiceCharges = chargesByInvoiceKey.get(invoice.idempotency_key) ?? [];
    if (invoiceCharges.length > expected) problems.push(`invoice ${invoice.idempotency_key} was charged ${invoiceCharges.length} times by the provider`);
  }

  const recorded = new Map<string, number>();
  for (const row of [...payments, ...purchases]) {
    if (row.provider !== 'sandbox') continue;
    if (recorded.has(row.provider_payment_id)) problems.push(`provider payment ${row.provider_payment_id} is recorded twice in the ledger`);
    recorded.set(row.provider_payment_id, row.amount);
  }
  for (const charge of charges) {
    const amount = recorded.get(charge.id);
    if (amount === undefined) problems.push(`the provider charged ${charge.amount} under ${charge.idempotency_key} (${charge.id}) and the ledger has no payment for it`);
    else if (amount !== charge.amount) problems.push(`the provider charged ${charge.amount} under ${charge.idempotency_key} and the ledger recorded ${amount}`);
  }
  const charged = new Set(charges.map((charge) => charge.id));
  for (const [id, amount] of recorded) if (!charged.has(id)) problems.push(`the ledger recorded a sandbox payment ${id} of ${amount} the provider never charged`);

  problems.push(...(await refundProblems(db, ofTeam)));

  const negative = (await ofTeam(db('balance_transactions')).groupBy('team_id').havingRaw('sum(amount) < 0').select('team_id')) as { team_id: string }[];
  for (const { team_id } of negative) problems.push(`team ${team_id} has a negative balance`);

  if (problems.length > 0) throw new Error(`the ledger invariant does not hold:\n  ${problems.join('\n  ')}`);
  const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);
  return {
    paidInvoices: invoices.filter((invoice) => invoice.status === 'paid').length,
    payments: payments.length,
    providerCharges: charges.length,
    chargedCents: sum(charges),
    recordedCents: sum([...payments, ...purchases].filter((row) => row.provider === 'sandbox')),
  };
}

/** Refunds give back at most what each part of an invoice paid: the card's payment, the balance, each grant's use. */
async function refundProblems(db: Db, ofTeam: (query: Knex.QueryBuilder, column?: string) => Knex.QueryBuilder): Promise<string[]> {
  const problems: string[] = [];
  const cards = (await ofTeam(db('payments')).whereRaw('refunded_amount > amount').select('id')) as { id: string }[];
  for (const { id } of cards) problems.push(`payment ${id} is refunded beyond what it paid`);
  const balance = (await ofTeam(db('balance_transactions as b'), 'b.team_id')
    .join('invoices as i', 'i.id', 'b.invoice_id')
    .where('b.reason', 'refund')
    .groupBy('i.id', 'i.balance_applied')
    .havingRaw('sum(b.amount) > i.balance_applied')
    .select('i.id')) as { id: string }[];
  for (const { id } of balance) problems.push(`invoice ${id} gave back more balance than it used`);
  const credits = (await ofTeam(db('credit_transactions'))
    .whereNotNull('invoice_id')
    .groupBy('invoice_id', 'grant_id')
    .havingRaw("sum(case when kind = 'refunded' then amount else 0 end) > sum(case when kind = 'used' then amount else 0 end)")
    .select('invoice_id', 'grant_id')) as { invoice_id: string; grant_id: string }[];
  for (const row of credits) problems.push(`invoice ${row.invoice_id} gave back more credits to ${row.grant_id} than it used`);
  return problems;
}

/** Charges by the key of the invoice they collect: a charge's key is `<invoice key>:<attempt…>`. */
function byInvoiceKey<Charge extends { idempotency_key: string }>(charges: Charge[], invoiceKeys: Set<string>): Map<string, Charge[]> {
  const found = new Map<string, Charge[]>();
  for (const charge of charges) {
    const key = charge.idempotency_key;
    for (let end = key.indexOf(':'); end > 0; end = key.indexOf(':', end + 1)) {
      if (!invoiceKeys.has(key.slice(0, end))) continue;
      found.set(key.slice(0, end), [...(found.get(key.slice(0, end)) ?? []), charge]);
    }
  }
  return found;
}

/** `text` matched literally by LIKE (its wildcards escaped). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
