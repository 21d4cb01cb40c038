import type { Day, Instant } from '../domain/calendar';
import { creditBalance } from '../domain/credits';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { requireCents, requireText } from './failures';
import { insertOnce } from './ledger-rows';
import { teamBalance, teamGrants } from './payment-sources';

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
  amount: Cents;
  reason: string;
  on: Day;
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

export function balanceActivities({ db }: BillingDependencies) {
  return {
    async creditTeamBalance(input: CreditTeamBalanceInput): Promise<BalanceCredit> {
      requireText(input.key, 'key');
      requireCents(input.amount, 'amount', 'positive');
      const { row } = await insertOnce<BalanceTransactionRow>(db, 'balance_transactions', {
        team_id: input.teamId,
        idempotency_key: input.key,
        amount: input.amount,
        reason: input.reason,
        on: input.on,
      }, ['team_id', 'amount']);
      return { transactionId: row.id, teamId: row.team_id, amount: row.amount, reason: row.reason, on: row.on };
    },

    /**
     * Undoes the credit written under `key` (a change that was refused after its removed members' refunds went to
     * the balance): a row of the opposite amount under `<key>:reversed`, once. Nothing under `key`: nothing to undo.
     */
    async reverseTeamBalanceCredit(input: { key: string; on: Day }): Promise<{ reversed: Cents }> {
      requireText(input.key, 'key');
      const credit = (await db('balance_transactions').where({ idempotency_key: input.key }).first()) as BalanceTransactionRow | undefined;
      if (!credit) return { reversed: 0 };
      await insertOnce(db, 'balance_transactions', {
        team_id: credit.team_id, idempotency_key: `${input.key}:reversed`, amount: -credit.amount, reason: 'reversed', on: input.on,
      }, ['team_id', 'amount']);
      return { reversed: credit.amount };
    },

    async teamLedgerSummary({ teamId, at }: { teamId: string; at: Instant }): Promise<LedgerSummary> {
      return { balance: await teamBalance(db, teamId), credits: creditBalance(await teamGrants(db, teamId), at) };
    },
  };
}
