// An API-credit account: its balance in cents of credit, read in real time, and its optional low-balance
// threshold. An account comes into being at its first purchase or setting; before that its balance is zero.
import type { Instant } from '../../domain/calendar';
import type { Cents } from '../../domain/money';
import { instantOf, type DbOrTrx } from '../rows';
import { armedAt } from './low-balance';

export interface AccountRow {
  account_id: string;
  balance: Cents;
  low_balance_threshold: Cents | null;
  low_balance_armed: boolean;
  low_balance_crossings: number;
  /** Mailed with the owner when the balance crosses the threshold. */
  low_balance_recipients: string[];
  last_usage_at: Date | null;
  last_usage_amount: Cents | null;
  last_usage_key: string | null;
}

export interface ApiCreditBalance {
  accountId: string;
  balance: Cents;
  lowBalanceThreshold: Cents | null;
  lastUsage: { at: Instant; amount: Cents; idempotencyKey: string } | null;
}

export async function ensureAccount(db: DbOrTrx, accountId: string): Promise<void> {
  await db('api_credit_accounts').insert({ account_id: accountId }).onConflict('account_id').ignore();
}

export async function readBalance(db: DbOrTrx, accountId: string): Promise<ApiCreditBalance> {
  const row = (await db('api_credit_accounts').where({ account_id: accountId }).first()) as AccountRow | undefined;
  const lastUsage = row?.last_usage_at
    ? { at: instantOf(row.last_usage_at), amount: row.last_usage_amount as Cents, idempotencyKey: row.last_usage_key as string }
    : null;
  return { accountId, balance: row?.balance ?? 0, lowBalanceThreshold: row?.low_balance_threshold ?? null, lastUsage };
}

/** Who is told when the balance falls below `threshold`: the account's owner, and `recipients` besides. */
export interface LowBalanceSettings {
  accountId: string;
  threshold: Cents | null;
  recipients: string[];
}

export async function readLowBalanceSettings(db: DbOrTrx, accountId: string): Promise<LowBalanceSettings> {
  const row = (await db('api_credit_accounts').where({ account_id: accountId }).first()) as AccountRow | undefined;
  return { accountId, threshold: row?.low_balance_threshold ?? null, recipients: row?.low_balance_recipients ?? [] };
}

export async function setLowBalanceThreshold(db: DbOrTrx, accountId: string, threshold: Cents | null): Promise<ApiCreditBalance> {
  await updateLowBalance(db, accountId, { low_balance_threshold: threshold });
  return readBalance(db, accountId);
}

/** The threshold and its recipients together (`recipients` already checked and deduplicated by the caller). */
export async function setLowBalanceSettings(db: DbOrTrx, settings: LowBalanceSettings): Promise<LowBalanceSettings> {
  await updateLowBalance(db, settings.accountId, { low_balance_threshold: settings.threshold, low_balance_recipients: settings.recipients });
  return readLowBalanceSettings(db, settings.accountId);
}

/** A new threshold is armed only if the balance is not already below it: no crossing has happened yet. */
async function updateLowBalance(db: DbOrTrx, accountId: string, change: { low_balance_threshold: Cents | null; low_balance_recipients?: string[] }): Promise<void> {
  await db.transaction(async (trx) => {
    await ensureAccount(trx, accountId);
    const { balance } = (await trx('api_credit_accounts').where({ account_id: accountId }).forUpdate().first('balance')) as AccountRow;
    await trx('api_credit_accounts')
      .where({ account_id: accountId })
      .update({ ...change, low_balance_armed: armedAt(balance, change.low_balance_threshold), updated_at: trx.fn.now() });
  });
}

export interface ApiCreditAlert {
  /** The alert's key: `<account>:low_balance:<crossing>`, also the key its webhook event is recorded under. */
  idempotencyKey: string;
  kind: string;
  /** The balance the crossing left, and the threshold it went below. */
  balance: Cents;
  threshold: Cents;
  at: Instant;
}

/** The account's low-balance alerts, oldest first: one per crossing. */
export async function listAlerts(db: DbOrTrx, accountId: string): Promise<ApiCreditAlert[]> {
  const rows = (await db('api_credit_alerts').where({ account_id: accountId }).orderBy('id').select('idempotency_key', 'kind', 'balance', 'threshold', 'created_at')) as {
    idempotency_key: string; kind: string; balance: Cents; threshold: Cents; created_at: Date;
  }[];
  return rows.map((row) => ({ idempotencyKey: row.idempotency_key, kind: row.kind, balance: row.balance, threshold: row.threshold, at: instantOf(row.created_at) }));
}
