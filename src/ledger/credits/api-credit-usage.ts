// Metered usage (section 12): each event consumes balance atomically, under the caller's key. One conditional
// UPDATE (… WHERE balance >= amount) takes the credits or nothing, and the key's unique row in the same
// transaction makes the same event twice charge once; never below zero, whatever the concurrency.
import type { Instant } from '../../domain/calendar';
import type { Cents } from '../../domain/money';
import { instantOf, type DbOrTrx } from '../rows';
import { queueDocumentEmail } from '../outbox/document-emails';
import { recordWebhookEvent } from '../outbox/webhook-events';
import { readBalance, type AccountRow } from './api-credit-accounts';
import { assertSameFacts, CreditRefusal } from './errors';
import { crossesLowBalance } from './low-balance';

export interface UsageEvent {
  accountId: string;
  /** The metering side's id of the event, unique per account. */
  idempotencyKey: string;
  amount: Cents;
}

export interface UsageCharge {
  accountId: string;
  idempotencyKey: string;
  amount: Cents;
  balanceAfter: Cents;
  at: Instant;
  /** True when the key had been charged before: nothing more was taken. */
  replayed: boolean;
}

/** Thrown inside the transaction to undo a debit whose key turned out to be taken by a concurrent twin. */
class AlreadyCharged extends Error {}

/**
 * `afterAlert` runs once the transaction that wrote a low-balance alert (and its webhook event) has committed:
 * the API starts the event's deliveries there.
 */
export async function consumeApiCredits(db: DbOrTrx, event: UsageEvent, at: Instant, afterAlert?: () => Promise<void>): Promise<UsageCharge> {
  let alerted = false;
  let charge: UsageCharge;
  try {
    charge = await db.transaction(async (trx) => {
      const [debited] = (await trx('api_credit_accounts')
        .where({ account_id: event.accountId })
        .where('balance', '>=', event.amount)
        .update({
          balance: trx.raw('balance - ?', [event.amount]),
          last_usage_at: at,
          last_usage_amount: event.amount,
          last_usage_key: event.idempotencyKey,
          updated_at: trx.fn.now(),
        })
        .returning('*')) as AccountRow[];
      if (!debited) return (await storedCharge(trx, event)) ?? refuse(trx, event);
      const [usage] = await trx('api_credit_usage')
        .insert({ account_id: event.accountId, idempotency_key: event.idempotencyKey, amount: event.amount, balance_after: debited.balance, at })
        .onConflict(['account_id', 'idempotency_key'])
        .ignore()
        .returning('id');
      if (!usage) throw new AlreadyCharged();
      alerted = await alertIfCrossed(trx, debited, at);
      return { ...event, balanceAfter: debited.balance, at, replayed: false };
    });
  } catch (error) {
    if (!(error instanceof AlreadyCharged)) throw error;
    return (await storedCharge(db, event)) as UsageCharge;
  }
  if (alerted && afterAlert) await afterAlert();
  return charge;
}

async function storedCharge(db: DbOrTrx, event: UsageEvent): Promise<UsageCharge | undefined> {
  const row = (await db('api_credit_usage').where({ account_id: event.accountId, idempotency_key: event.idempotencyKey }).first()) as
    | { amount: Cents; balance_after: Cents; at: Date }
    | undefined;
  if (!row) return undefined;
  assertSameFacts(event.idempotencyKey, row, { amount: event.amount });
  return { ...event, balanceAfter: row.balance_after, at: instantOf(row.at), replayed: true };
}

async function refuse(db: DbOrTrx, event: UsageEvent): Promise<never> {
  const { balance } = await readBalance(db, event.accountId);
  throw new CreditRefusal('insufficient_api_credits', `the event needs ${event.amount} cents of API credits; the balance is ${balance}`, {
    balance,
    asked: event.amount,
  });
}

/**
 * One alert per crossing: the crossing's number is part of its key, and the alert disarms until a refill. Its
 * `credits.low_balance` webhook event, and its email to the owner and the recipients the account set then, are
 * queued in the same transaction, under the alert's key.
 */
async function alertIfCrossed(trx: DbOrTrx, account: AccountRow, at: Instant): Promise<boolean> {
  const state = { balance: account.balance, threshold: account.low_balance_threshold, armed: account.low_balance_armed };
  if (!crossesLowBalance(state)) return false;
  const crossing = account.low_balance_crossings + 1;
  await trx('api_credit_accounts')
    .where({ account_id: account.account_id })
    .update({ low_balance_armed: false, low_balance_crossings: crossing });
  const alertKey = `${account.account_id}:low_balance:${crossing}`;
  await trx('api_credit_alerts').insert({
    account_id: account.account_id,
    idempotency_key: alertKey,
    kind: 'low_balance',
    balance: account.balance,
    threshold: account.low_balance_threshold,
    recipients: account.low_balance_recipients,
    created_at: at,
  });
  // Its email goes to the owner (the user whose id the account is) and the recipients: with neither, nobody to tell.
  if (account.low_balance_recipients.length > 0 || (await trx('users').where({ id: account.account_id }).first('id'))) {
    await queueDocumentEmail(trx, { key: `${alertKey}:email`, teamId: null, kind: 'low_balance_alert', documentId: alertKey });
  }
  await recordWebhookEvent(trx, {
    key: `${alertKey}:credits.low_balance`,
    type: 'credits.low_balance',
    occurredAt: at,
    data: { accountId: account.account_id, alertKey, crossing, balance: account.balance, threshold: account.low_balance_threshold },
  });
  return true;
}
