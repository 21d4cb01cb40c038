// What pays an invoice besides the card (section 4): the team balance and its credit grants. An open invoice
// holds on to the balance and credits its plan names, so another invoice of the team plans only what is left.
import type { Moment } from '../domain/calendar';
import { usableGrants, type CreditGrant, type CreditUse } from '../domain/credits';
import type { Cents } from '../domain/money';
import { applyPayment } from '../domain/payment-application';
import { teamBalance, teamGrants } from '../ledger/credits/grants';
import type { DbOrTrx, InvoiceRow } from '../ledger/rows';

// The ledger reads them; activities (balance, settlement) take them from here with the rest of what pays an invoice.
export { teamBalance, teamGrants };

export interface PaymentSources {
  balance: Cents;
  grants: CreditGrant[];
}

export interface PaymentPlan {
  balanceApplied: Cents;
  creditsApplied: Cents;
  creditUses: CreditUse[];
  charged: Cents;
}

/** The balance and grants an invoice may plan on: the ledger's, less what the team's other open invoices planned. */
export async function availableSources(db: DbOrTrx, teamId: string, exceptInvoiceId?: string): Promise<PaymentSources> {
  const { balance: ledgerBalance, open } = await balanceAndHolds(db, teamId, exceptInvoiceId);
  const held = new Map<string, Cents>();
  let heldBalance = 0;
  for (const invoice of open) {
    heldBalance += invoice.balance_applied;
    for (const use of invoice.planned_credit_uses) held.set(use.grantId, (held.get(use.grantId) ?? 0) + use.amount);
  }
  const balance = Math.max(0, ledgerBalance - heldBalance);
  const grants = (await teamGrants(db, teamId))
    .map((grant) => ({ ...grant, amount: Math.max(0, grant.amount - (held.get(grant.id) ?? 0)) }))
    .filter((grant) => grant.amount > 0);
  return { balance, grants };
}

type Hold = Pick<InvoiceRow, 'balance_applied' | 'planned_credit_uses'>;

/** The team balance (teamBalance) and what its open invoices hold of it, in one round trip: every invoice plans on them. */
async function balanceAndHolds(db: DbOrTrx, teamId: string, exceptInvoiceId?: string): Promise<{ balance: Cents; open: Hold[] }> {
  const { rows } = (await db.raw(
    `SELECT (SELECT coalesce(sum(amount), 0) FROM balance_transactions WHERE team_id = ?) AS balance,
            (SELECT coalesce(json_agg(json_build_object('balance_applied', balance_applied, 'planned_credit_uses', planned_credit_uses)), '[]')
               FROM invoices WHERE team_id = ? AND status = 'open' AND id IS DISTINCT FROM ?) AS open`,
    [teamId, teamId, exceptInvoiceId ?? null],
  )) as { rows: { balance: string; open: Hold[] }[] };
  return { balance: Number(rows[0]!.balance), open: rows[0]!.open }; // numeric arrives as a string; json_agg's numbers as numbers
}

export function planPayment(total: Cents, sources: PaymentSources, at: Moment): PaymentPlan {
  const payment = applyPayment({ total, balance: sources.balance, grants: sources.grants, now: at });
  return { balanceApplied: payment.balanceApplied, creditsApplied: payment.creditsApplied, creditUses: payment.creditUses, charged: payment.charged };
}

/** Whether the sources still pay what the plan says, each planned grant still usable at `at`. */
export function planIsCovered(plan: PaymentPlan, sources: PaymentSources, at: Moment): boolean {
  if (sources.balance < plan.balanceApplied) return false;
  const usable = new Map(usableGrants(sources.grants, at).map((grant) => [grant.id, grant.amount]));
  return plan.creditUses.every((use) => (usable.get(use.grantId) ?? 0) >= use.amount);
}

export function planOf(invoice: InvoiceRow): PaymentPlan {
  return {
    balanceApplied: invoice.balance_applied,
    creditsApplied: invoice.credits_applied,
    creditUses: invoice.planned_credit_uses,
    charged: invoice.charged,
  };
}

/** The invoice columns that store a plan. */
export function planColumns(plan: PaymentPlan): Pick<InvoiceRow, 'balance_applied' | 'credits_applied' | 'charged'> & { planned_credit_uses: string } {
  return {
    balance_applied: plan.balanceApplied,
    credits_applied: plan.creditsApplied,
    charged: plan.charged,
    planned_credit_uses: JSON.stringify(plan.creditUses), // jsonb: node-postgres would send an array as a Postgres array
  };
}
