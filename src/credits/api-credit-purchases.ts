// Refills (section 12): a purchase the account makes on purpose, charged through the payment provider under a
// key of the account and the caller's purchase id. Never automatic: nothing here runs without that request.
// The purchase is recorded as pending before the charge, so the ledger knows of every charge it asked for; a crash
// after the charge leaves it pending, and the same request again finds the provider's same charge and completes it.
import { addMonths, dayOf, type Day, type Instant } from '../domain/calendar';
import { manualInvoicingEligibility, type ManualInvoicingEligibility } from '../domain/manual-invoicing';
import type { Cents } from '../domain/money';
import { PaymentDeclined, PaymentRequestRejected, type PaymentProvider } from '../payments/payment-provider';
import { ownedPaymentMethod, ProviderIdNotOwned } from '../payments/provider-customers';
import { instantOf, type DbOrTrx } from '../ledger/rows';
import { ensureAccount, type AccountRow } from '../ledger/credits/api-credit-accounts';
import { assertSameFacts, CreditRefusal } from '../ledger/credits/errors';
import { armedAt } from '../ledger/credits/low-balance';

export interface PurchaseRequest {
  accountId: string;
  /** Chosen by the caller (e.g. its checkout id): the same id again is the same purchase. */
  purchaseId: string;
  amount: Cents;
  paymentMethodId: string;
  customerId?: string;
}

export interface CreditPurchaseRecord {
  accountId: string;
  purchaseId: string;
  amount: Cents;
  providerPaymentId: string;
  purchasedAt: Instant;
  balanceAfter: Cents;
  replayed: boolean;
}

interface PurchaseRow {
  status: 'pending' | 'paid' | 'declined';
  amount: Cents;
  payment_method_id: string;
  provider_payment_id: string | null;
  decline_code: string | null;
  purchased_at: Date;
}

export async function purchaseApiCredits(db: DbOrTrx, payments: PaymentProvider, request: PurchaseRequest, at: Instant): Promise<CreditPurchaseRecord> {
  // Checked before anything is written: a payment method or customer that is not the account's changes nothing.
  const { customerId } = await ownedPaymentMethod(db, payments, { kind: 'api_credit_account', id: request.accountId }, request).catch(notOwnedRefusal);
  const { row, earlier } = await recordPending(db, payments, request, at);
  if (row.status === 'paid') return stored(db, request, row);
  if (row.status === 'declined') throw new CreditRefusal('payment_declined', `purchase ${request.purchaseId} was declined`, { providerCode: row.decline_code });
  const charged = { idempotencyKey: `api-credits:${request.accountId}:purchase:${request.purchaseId}`, amount: request.amount, paymentMethodId: request.paymentMethodId, customerId };
  // A purchase left pending by an earlier request may have been charged (its answer lost), maybe longer ago than the
  // provider remembers keys (Stripe: 24 hours): look that charge up first, and charge only when there is none.
  const charge = await (earlier ? payments.findCharge(charged) : Promise.resolve(null))
    .then((found) => found ?? payments.charge({ ...charged, description: 'Prepaid API credits' }))
    .catch(async (error: unknown) => {
      if (error instanceof PaymentDeclined) await purchases(db, request).where({ status: 'pending' }).update({ status: 'declined', decline_code: error.code });
      throw refusalOf(error);
    });
  return db.transaction(async (trx) => {
    const [completed] = await purchases(trx, request)
      .where({ status: 'pending' })
      .update({ status: 'paid', provider_payment_id: charge.providerPaymentId })
      .returning('id');
    if (!completed) return stored(trx, request, (await purchases(trx, request).first()) as PurchaseRow); // a concurrent twin completed it
    const [account] = (await trx('api_credit_accounts')
      .where({ account_id: request.accountId })
      .update({ balance: trx.raw('balance + ?', [request.amount]), updated_at: trx.fn.now() })
      .returning('*')) as AccountRow[];
    const { balance, low_balance_threshold: threshold, low_balance_armed: armed } = account as AccountRow;
    // A refill that lifts the balance back to the threshold re-arms the alert for the next crossing.
    if (!armed && armedAt(balance, threshold)) {
      await trx('api_credit_accounts').where({ account_id: request.accountId }).update({ low_balance_armed: true });
    }
    return { ...purchaseOf(request, charge.providerPaymentId, at), balanceAfter: balance, replayed: false };
  });
}

function purchases(db: DbOrTrx, request: PurchaseRequest) {
  return db('api_credit_purchases').where({ account_id: request.accountId, idempotency_key: request.purchaseId });
}

/** The purchase's row, written as pending the first time (`earlier`: by another request); the same purchase id again must carry the same facts. */
async function recordPending(db: DbOrTrx, payments: PaymentProvider, request: PurchaseRequest, at: Instant): Promise<{ row: PurchaseRow; earlier: boolean }> {
  await ensureAccount(db, request.accountId);
  const inserted = await db('api_credit_purchases')
    .insert({
      account_id: request.accountId, idempotency_key: request.purchaseId, amount: request.amount, status: 'pending',
      payment_method_id: request.paymentMethodId, provider: payments.name, purchased_at: at,
    })
    .onConflict(['account_id', 'idempotency_key'])
    .ignore()
    .returning('id');
  const row = (await purchases(db, request).first()) as PurchaseRow;
  assertSameFacts(request.purchaseId, row, { amount: request.amount, payment_method_id: request.paymentMethodId });
  return { row, earlier: inserted.length === 0 };
}

function purchaseOf(request: PurchaseRequest, providerPaymentId: string, purchasedAt: Instant) {
  return { accountId: request.accountId, purchaseId: request.purchaseId, amount: request.amount, providerPaymentId, purchasedAt };
}

async function stored(db: DbOrTrx, request: PurchaseRequest, row: PurchaseRow): Promise<CreditPurchaseRecord> {
  const { balance } = (await db('api_credit_accounts').where({ account_id: request.accountId }).first('balance')) as AccountRow;
  return { ...purchaseOf(request, row.provider_payment_id!, instantOf(row.purchased_at)), balanceAfter: balance, replayed: true };
}

function notOwnedRefusal(error: unknown): never {
  if (!(error instanceof ProviderIdNotOwned)) throw error;
  throw new CreditRefusal(error.field === 'customerId' ? 'customer_not_owned' : 'payment_method_not_owned', error.message);
}

function refusalOf(error: unknown): unknown {
  if (error instanceof PaymentDeclined) return new CreditRefusal('payment_declined', error.message, { providerCode: error.code });
  if (error instanceof PaymentRequestRejected) return new CreditRefusal('payment_rejected', error.message, { providerCode: error.code });
  return error; // PaymentProviderUnavailable and the like: try again later, under the same purchase id
}

/** Manual invoicing (section 12): the domain's rule over the purchases of the last 3 full calendar months. */
export async function manualInvoicing(db: DbOrTrx, accountId: string, today: Day): Promise<ManualInvoicingEligibility> {
  const thisMonth: Day = `${today.slice(0, 7)}-01`;
  const rows = (await db('api_credit_purchases')
    .where({ account_id: accountId, status: 'paid' })
    .where('purchased_at', '>=', `${addMonths(thisMonth, -3)}T00:00:00Z`)
    .where('purchased_at', '<', `${thisMonth}T00:00:00Z`)
    .select('amount', 'purchased_at')) as Pick<PurchaseRow, 'amount' | 'purchased_at'>[];
  return manualInvoicingEligibility(rows.map((row) => ({ at: instantOf(row.purchased_at), amount: row.amount })), dayOf(today));
}
