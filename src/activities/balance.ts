import type { Day, Instant } from '../domain/calendar';
import { creditBalance } from '../domain/credits';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { requireCents, requireText } from './failures';
import { DEFAULT_SELLER } from './documents';
import { insertOnce, requireSameFacts } from '../ledger/rows';
import { teamBalance, teamGrants } from './payment-sources';
import { creditNotesOfRemovedMembers, creditRemovedMembers, voidCreditNotesOfRemovedMembers } from './removed-member-credits';

export interface CreditTeamBalanceInput {
  /** e.g. `team-1:2026-06-20:members_removed`. */
  key: string;
  teamId: string;
  /** Positive: a refund kept for the team, used first on its next invoices. */
  amount: Cents;
  reason: string;
  on: Day;
}

export interface BalanceCredit {
  transactionId: number;
  teamId: string;
  /** For a removed member, the credit note's total given back: net + tax (section 13). */
  amount: Cents;
  reason: string;
  on: Day;
  /** CN-2026-000001 when the credit corrects an issued invoice (the first, when it corrects several). */
  creditNoteNumber: string | null;
  /** Every credit note the credit issued, one per invoice it corrects. */
  creditNoteNumbers: string[];
}

export interface LedgerSummary {
  /** The team balance: refunds kept for the team, less what invoices used. */
  balance: Cents;
  /** Credits usable at `at`: unexpired grants' remaining amounts. */
  credits: Cents;
}

interface BalanceTransactionRow {
  id: number;
  team_id: string;
  amount: Cents;
  reason: string;
  on: Day;
}

export function balanceActivities({ db, seller = DEFAULT_SELLER }: BillingDependencies) {
  return {
    /**
     * Keeps money for the team, once under `key`. A removed member's refund (`member_removed`, its net amount)
     * corrects the invoices that billed the period the member left: credit notes of −amount in all, each with its
     * tax at its invoice's rate, and the balance gets their totals, net + tax (X3: 1006 + 191 = 1197). Credit notes
     * and balance move together; a retry returns what the first call wrote.
     */
    async creditTeamBalance(input: CreditTeamBalanceInput): Promise<BalanceCredit> {
      requireText(input.key, 'key');
      requireCents(input.amount, 'amount', 'positive');
      return db.transaction(async (trx) => {
        const stored = (await trx('balance_transactions').where({ idempotency_key: input.key }).first()) as BalanceTransactionRow | undefined;
        if (stored) {
          // The same key is the same credit: the team, the reason and the net refunded (the balance got net + tax).
          const notes = await creditNotesOfRemovedMembers(trx, input.key);
          const net = stored.amount + notes.reduce((sum, note) => sum + note.tax, 0);
          requireSameFacts('balance_transactions', { ...stored, amount: net }, { idempotency_key: input.key, team_id: input.teamId, reason: input.reason, amount: input.amount }, ['team_id', 'reason', 'amount']);
          return balanceCredit(stored, notes.map((note) => note.number));
        }
        const credited = input.reason === 'member_removed'
          ? await creditRemovedMembers(trx, seller, { key: input.key, teamId: input.teamId, on: input.on, amount: input.amount })
          : { balanceCredit: input.amount, creditNotes: [] };
        const { row } = await insertOnce<BalanceTransactionRow>(trx, 'balance_transactions', {
          team_id: input.teamId,
          idempotency_key: input.key,
          amount: credited.balanceCredit,
          reason: input.reason,
          on: input.on,
        }, ['team_id', 'amount']);
        return balanceCredit(row, credited.creditNotes.map((note) => note.number));
      });
    },

    /**
     * Undoes the credit written under `key` (a change that was refused after its removed members' refunds went to
     * the balance): a row of the opposite amount under `<key>:reversed`, once, and the credit notes that credit made
     * void on the same day, in one transaction (they keep their numbers; the invoices they corrected can be credited
     * again). Nothing under `key`: nothing to undo.
     */
    async reverseTeamBalanceCredit(input: { key: string; on: Day }): Promise<{ reversed: Cents }> {
      requireText(input.key, 'key');
      return db.transaction(async (trx) => {
        const credit = (await trx('balance_transactions').where({ idempotency_key: input.key }).first()) as BalanceTransactionRow | undefined;
        if (!credit) return { reversed: 0 };
        await insertOnce(trx, 'balance_transactions', {
          team_id: credit.team_id, idempotency_key: `${input.key}:reversed`, amount: -credit.amount, reason: 'reversed', on: input.on,
        }, ['team_id', 'amount']);
        await voidCreditNotesOfRemovedMembers(trx, input.key, input.on);
        return { reversed: credit.amount };
      });
    },

    async teamLedgerSummary({ teamId, at }: { teamId: string; at: Instant }): Promise<LedgerSummary> {
      return { balance: await teamBalance(db, teamId), credits: creditBalance(await teamGrants(db, teamId), at) };
    },
  };
}

function balanceCredit(row: BalanceTransactionRow, creditNoteNumbers: string[]): BalanceCredit {
  return {
    transactionId: row.id, teamId: row.team_id, amount: row.amount, reason: row.reason, on: row.on,
    creditNoteNumber: creditNoteNumbers[0] ?? null, creditNoteNumbers,
  };
}
