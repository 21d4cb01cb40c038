// Paying an invoice in two transactions around the provider call. Before it: freeze the plan for this charge,
// re-planning if the held balance or credits no longer cover it (a grant expired). After it: in ONE transaction,
// the payment, the balance use, the credit uses and the status `paid`, or nothing. A crash in between is
// retried under the same charge key, so the provider returns the same charge and the ledger records it once.
import { dayOf, type Instant } from '../domain/calendar';
import type { Cents } from '../domain/money';
import { nonRetryable } from './failures';
import { invoiceClosed, invoiceSummary, lockInvoiceAndTeam, type InvoiceSummary } from './invoices';
import { insertOnce, newId, type DbOrTrx, type InvoiceRow, type PaymentRow } from '../ledger/rows';
import { invoicePaid } from '../ledger/outbox/ledger-events';
import { relayAfterWrite, type OutboxWrite } from './relay';
import { availableSources, planColumns, planIsCovered, planOf, planPayment, teamBalance } from './payment-sources';

export interface ReceivedPayment {
  provider: string;
  providerPaymentId: string;
  method: PaymentRow['method'];
  amount: Cents;
}

export interface SettledInvoice extends InvoiceSummary {
  /** Null when the balance and credits paid it all. */
  paymentId: string | null;
  providerPaymentId: string | null;
}

/**
 * Fixes how the invoice will be paid by one collection (`attempt:2`, `external:<ref>`), whose charge key is
 * `<invoice key>:<collection>`. The plan is kept while the balance and credits it holds still cover it, else
 * planned again from what the team has at `at`. A retry of the same collection keeps it: same amount charged.
 * `attempt`: the collection attempt (1, then one per dunning retry); null for a payment made outside one.
 */
export async function freezePlan(db: DbOrTrx, invoiceId: string, collection: string, at: Instant, attempt: number | null = null): Promise<{ invoice: InvoiceRow; chargeKey: string }> {
  return db.transaction(async (trx) => {
    const invoice = await lockInvoiceAndTeam(trx, invoiceId);
    const chargeKey = `${invoice.idempotency_key}:${collection}`;
    if (invoice.status !== 'open' || invoice.charge_key === chargeKey) return { invoice, chargeKey };
    const sources = await availableSources(trx, invoice.team_id, invoice.id);
    const planned = planOf(invoice);
    const plan = planIsCovered(planned, sources, at) ? planned : planPayment(invoice.total, sources, at);
    const [row] = (await trx('invoices')
      .where({ id: invoice.id })
      .update({ ...planColumns(plan), charge_key: chargeKey, charge_attempt: attempt, updated_at: trx.fn.now() })
      .returning('*')) as InvoiceRow[];
    return { invoice: row as InvoiceRow, chargeKey };
  });
}

/** Records the payment and the balance and credit uses of the plan frozen under `chargeKey`, and marks the invoice paid. */
export async function settleInvoice(
  db: DbOrTrx,
  invoiceId: string,
  chargeKey: string,
  payment: ReceivedPayment | null,
  at: Instant,
): Promise<SettledInvoice> {
  const { settled, outbox } = await db.transaction(async (trx): Promise<{ settled: SettledInvoice; outbox: OutboxWrite }> => {
    const invoice = await lockInvoiceAndTeam(trx, invoiceId);
    const paymentFacts = payment ? { provider: payment.provider, providerPaymentId: payment.providerPaymentId, amount: payment.amount } : {};
    if (invoice.status === 'paid') {
      const settled = await settledInvoice(trx, invoice);
      // A concurrent or retried collection of the same charge finds it recorded; any other money is a second payment.
      if (!payment || settled.providerPaymentId === payment.providerPaymentId) return { settled, outbox: { foundWritten: true, queued: 0 } };
      throw invoiceClosed(invoice, 'already paid by another payment; refund this one', paymentFacts);
    }
    if (invoice.status !== 'open') throw invoiceClosed(invoice, 'a payment arrived after it closed; refund it', paymentFacts);
    if (invoice.charge_key !== chargeKey || invoice.charged !== (payment?.amount ?? 0)) {
      throw nonRetryable('LedgerConflict', `invoice ${invoice.id} was re-planned while ${chargeKey} was being paid`, {
        invoiceId, chargeKey, planned: invoice.charged, ...paymentFacts,
      });
    }
    await useBalance(trx, invoice, at);
    await useCredits(trx, invoice, at);
    let paidBy: PaidBy | null = null;
    if (payment) {
      ({ row: paidBy } = await insertOnce<PaymentRow>(trx, 'payments', {
        id: newId('pay'),
        team_id: invoice.team_id,
        invoice_id: invoice.id,
        idempotency_key: `${invoice.idempotency_key}:payment`,
        provider: payment.provider,
        provider_payment_id: payment.providerPaymentId,
        method: payment.method,
        amount: payment.amount,
        status: 'succeeded',
        paid_at: at,
      }, ['provider_payment_id']));
    }
    const [paid] = (await trx('invoices')
      .where({ id: invoice.id })
      .update({ status: 'paid', closed_at: at, updated_at: trx.fn.now() })
      .returning('*')) as InvoiceRow[];
    const queued = await invoicePaid(trx, paid as InvoiceRow, at);
    return { settled: asSettled(paid as InvoiceRow, paidBy), outbox: { foundWritten: false, queued } };
  });
  await relayAfterWrite(db, outbox);
  return settled;
}

async function useBalance(trx: DbOrTrx, invoice: InvoiceRow, at: Instant): Promise<void> {
  if (invoice.balance_applied === 0) return;
  const balance = await teamBalance(trx, invoice.team_id);
  if (balance < invoice.balance_applied) {
    throw nonRetryable('LedgerConflict', `team ${invoice.team_id} balance ${balance} cannot pay ${invoice.balance_applied} of ${invoice.id}`);
  }
  await insertOnce(trx, 'balance_transactions', {
    team_id: invoice.team_id,
    idempotency_key: `${invoice.idempotency_key}:balance`,
    amount: -invoice.balance_applied,
    reason: 'invoice_payment',
    invoice_id: invoice.id,
    on: dayOf(at),
  }, ['team_id', 'amount']);
}

async function useCredits(trx: DbOrTrx, invoice: InvoiceRow, at: Instant): Promise<void> {
  for (const use of invoice.planned_credit_uses) {
    const { created } = await insertOnce(trx, 'credit_transactions', {
      grant_id: use.grantId,
      idempotency_key: `${invoice.idempotency_key}:credit:${use.grantId}`,
      kind: 'used',
      team_id: invoice.team_id,
      invoice_id: invoice.id,
      amount: use.amount,
      at,
    }, ['grant_id', 'amount']);
    if (!created) continue;
    // The held credits are there unless the ledger was changed behind the engine's back; never below zero.
    const taken = await trx('credit_grants')
      .where({ id: use.grantId, team_id: invoice.team_id })
      .where('remaining', '>=', use.amount)
      .decrement('remaining', use.amount);
    if (taken !== 1) throw nonRetryable('LedgerConflict', `grant ${use.grantId} cannot pay ${use.amount} of ${invoice.id}`);
  }
}

/** The invoice as paid, with the payment that paid it, if any. */
export async function settledInvoice(db: DbOrTrx, invoice: InvoiceRow): Promise<SettledInvoice> {
  const payment = (await db('payments').where({ invoice_id: invoice.id }).first('id', 'provider_payment_id')) as PaidBy | undefined;
  return asSettled(invoice, payment ?? null);
}

type PaidBy = Pick<PaymentRow, 'id' | 'provider_payment_id'>;

function asSettled(invoice: InvoiceRow, payment: PaidBy | null): SettledInvoice {
  return { ...invoiceSummary(invoice), paymentId: payment?.id ?? null, providerPaymentId: payment?.provider_payment_id ?? null };
}
