// The ledger's rows as its readers get them (bigint as number, date as 'YYYY-MM-DD', timestamptz as Date),
// and the one way activities write money: insert under the idempotency key, or read what the key holds.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { instantFromEpochMs, type Day, type Instant } from '../domain/calendar';
import type { CreditUse } from '../domain/credits';
import type { Cents } from '../domain/money';
import { LedgerRefusal } from './errors';

export type DbOrTrx = Knex | Knex.Transaction;

/** Issued, or void: taken back with the balance credit it made (src/ledger/credit-notes.ts). */
export type CreditNoteStatus = 'issued' | 'void';

export type InvoiceStatus = 'open' | 'paid' | 'failed' | 'void';

export interface InvoiceRow {
  id: string;
  team_id: string;
  idempotency_key: string;
  reason: string;
  status: InvoiceStatus;
  issued_on: Day;
  due_on: Day | null;
  period_start: Day | null;
  period_end: Day | null;
  /** INV-2026-000001: taken in the transaction that issued the invoice. */
  number: string;
  /** Σ lines. */
  net: Cents;
  /** One tax line: round(tax_rate_bp × net ÷ 10000), once (section 13). */
  tax: Cents;
  tax_rate_bp: number;
  tax_treatment: 'standard' | 'reverse_charge' | 'untaxed';
  tax_country: string | null;
  /** net + tax: what the balance, credits and card pay. */
  total: Cents;
  balance_applied: Cents;
  credits_applied: Cents;
  charged: Cents;
  planned_credit_uses: CreditUse[];
  charge_key: string | null;
  /** The collection attempt charge_key names (1, then one per dunning retry); null outside a collection. */
  charge_attempt: number | null;
  closed_at: Date | null;
  /** Refunded (section 10): the period it billed ended that day. */
  refunded_at?: Date | null;
  /** Invoice first with Stripe: the `send_invoice` invoice that collects this one. */
  provider_invoice_id?: string | null;
  provider_invoice_url?: string | null;
  /** A requested invoice's purchase-order reference, as the buyer gave it (migration 032). */
  purchase_order?: string | null;
}

export type CreditNoteReason = 'refund' | 'member_removed' | 'void';

export interface CreditNoteRow {
  id: string;
  team_id: string;
  invoice_id: string;
  idempotency_key: string;
  number: string;
  reason: CreditNoteReason;
  to: 'card' | 'balance';
  issued_on: Day;
  net: Cents;
  tax: Cents;
  /** net + tax, negative. */
  total: Cents;
  tax_rate_bp: number;
  tax_treatment: string;
  tax_country: string | null;
  /** `voided_on`: the day it was made void. */
  status: CreditNoteStatus;
  voided_on: Day | null;
}

/** A credit grant: `amount` acquired, `remaining` not yet used, held by a user or contributed to a team. */
export interface GrantRow {
  id: string;
  user_id: string | null;
  team_id: string | null;
  amount: Cents;
  remaining: Cents;
  acquired_at: Date;
  expires_at: Date;
}

/** A notice (billing rules section 12): for a team or an organization, or addressed to one person. */
export interface NotificationRow {
  id: number;
  idempotency_key: string;
  team_id: string | null;
  organization_id?: string | null;
  kind: string;
  on: Day;
  payload: Record<string, unknown>;
  recipient_email?: string | null;
  recipient_user_id?: string | null;
}

export interface PaymentRow {
  id: string;
  team_id: string;
  invoice_id: string | null;
  idempotency_key: string;
  provider: string;
  provider_payment_id: string;
  method: 'card' | 'bank_transfer';
  amount: Cents;
  status: 'succeeded' | 'partially_refunded' | 'refunded';
  refunded_amount: Cents;
  paid_at: Date;
}

/** A fresh row id; the idempotency key, not the id, is what makes a write happen once. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** A timestamptz as the domain's Instant ('YYYY-MM-DDTHH:MM:SSZ'). */
export function instantOf(value: Date | string): Instant {
  return instantFromEpochMs(new Date(value).getTime());
}

function sameFact(stored: unknown, given: unknown): boolean {
  if (stored instanceof Date) return typeof given === 'string' && stored.getTime() === new Date(given).getTime();
  return stored === given;
}

/**
 * Inserts `row` unless its idempotency key is taken; either way returns the stored row. A key reused for other
 * facts (the `facts` columns differ) is a caller's bug and fails instead of answering for the wrong thing.
 */
export async function insertOnce<Row extends object>(
  db: DbOrTrx,
  table: string,
  row: Record<string, unknown> & { idempotency_key: string },
  facts: readonly string[],
): Promise<{ row: Row; created: boolean }> {
  const [inserted] = await db(table)
    .insert(row)
    .onConflict('idempotency_key')
    .ignore()
    .returning('*')
    .catch((error: unknown) => {
      throw missingReference(error, table, row);
    });
  if (inserted) return { row: inserted as Row, created: true };
  const stored = (await db(table).where({ idempotency_key: row.idempotency_key }).first()) as Record<string, unknown> | undefined;
  if (!stored) throw new Error(`${table} row ${row.idempotency_key} conflicted but cannot be read`); // retryable
  requireSameFacts(table, stored, row, facts);
  return { row: stored as Row, created: false };
}

/** The row stored under a key answers for `row` only if their `facts` columns agree; else the caller reused a key. */
export function requireSameFacts(table: string, stored: Record<string, unknown>, row: Record<string, unknown> & { idempotency_key: string }, facts: readonly string[]): void {
  for (const column of facts) {
    if (!sameFact(stored[column], row[column])) {
      throw new LedgerRefusal('IdempotencyConflict', `${table} key ${row.idempotency_key} was used with another ${column}`, {
        table, key: row.idempotency_key, column,
      });
    }
  }
}

/** A row that names a team (or invoice) the ledger does not have: a retry cannot fix it. */
function missingReference(error: unknown, table: string, row: Record<string, unknown>): unknown {
  const pg = error as { code?: string; constraint?: string };
  if (pg.code !== '23503') return error; // foreign_key_violation
  const unknownTeam = pg.constraint?.includes('team_id') ?? false;
  return new LedgerRefusal(unknownTeam ? 'UnknownTeam' : 'InvalidInput', `${table} row ${String(row.idempotency_key)} refers to a missing row (${pg.constraint ?? 'foreign key'})`, {
    table, key: row.idempotency_key, constraint: pg.constraint,
  });
}
