// History (section 8): every acquisition, contribution, use and expiry, newest first. A user's history holds
// their own grants' rows and what they contributed; a team's holds what came in, what paid invoices and what
// expired in its hands.
import type { Instant } from '../../domain/calendar';
import type { CreditEventKind } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import { instantOf, type DbOrTrx } from '../rows';

export type CreditHolder = { userId: string } | { teamId: string };

export interface CreditHistoryEntry {
  id: number;
  kind: CreditEventKind;
  grantId: string;
  amount: Cents;
  at: Instant;
  userId: string | null;
  teamId: string | null;
  invoiceId: string | null;
}

export interface HistoryPage {
  entries: CreditHistoryEntry[];
  /** Pass as `before` for the next (older) page; null on the last. */
  next: number | null;
}

interface TransactionRow {
  id: number;
  kind: CreditEventKind;
  grant_id: string;
  amount: Cents;
  at: Date;
  user_id: string | null;
  team_id: string | null;
  invoice_id: string | null;
}

export async function creditHistory(db: DbOrTrx, holder: CreditHolder, page: { limit: number; before?: number }): Promise<HistoryPage> {
  const rows = (await db('credit_transactions')
    .where('userId' in holder ? { user_id: holder.userId } : { team_id: holder.teamId })
    .modify((query) => {
      if (page.before !== undefined) query.where('id', '<', page.before);
    })
    .orderBy('id', 'desc')
    .limit(page.limit + 1)) as TransactionRow[];
  const entries = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    kind: row.kind,
    grantId: row.grant_id,
    amount: row.amount,
    at: instantOf(row.at),
    userId: row.user_id,
    teamId: row.team_id,
    invoiceId: row.invoice_id,
  }));
  return { entries, next: rows.length > page.limit ? (entries[entries.length - 1]?.id ?? null) : null };
}
