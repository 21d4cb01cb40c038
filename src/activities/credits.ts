import type { Instant } from '../domain/calendar';
import { acquireCredits } from '../domain/credits';
import type { Cents } from '../domain/money';
import type { BillingDependencies } from './dependencies';
import { requireCents, requireText } from './failures';
import { insertOnce, instantOf, newId, type GrantRow } from '../ledger/rows';

export interface GrantTeamCreditsInput {
  /** e.g. `referral:<registered user>:team-1`. */
  key: string;
  teamId: string;
  amount: Cents;
  /** When the credits were earned: the expiry follows from it (section 8), whenever they are contributed. */
  acquiredAt: Instant;
  /** referral | contribution | … */
  source: string;
  /** The user who contributed them, for the history. */
  userId?: string;
  contributedAt?: Instant;
}

export interface TeamCreditGrant {
  grantId: string;
  teamId: string;
  amount: Cents;
  acquiredAt: Instant;
  expiresAt: Instant;
}

export function creditActivities({ db }: BillingDependencies) {
  return {
    /** Credits contributed to the team (one way), with their `contributed` history row. */
    async grantTeamCredits(input: GrantTeamCreditsInput): Promise<TeamCreditGrant> {
      requireText(input.key, 'key');
      requireCents(input.amount, 'amount', 'positive');
      const id = newId('cg');
      const { grant } = acquireCredits(id, input.amount, input.acquiredAt);
      const row = await db.transaction(async (trx) => {
        const stored = await insertOnce<GrantRow>(trx, 'credit_grants', {
          id,
          user_id: input.userId ?? null,
          team_id: input.teamId,
          idempotency_key: input.key,
          source: input.source,
          amount: input.amount,
          remaining: input.amount,
          acquired_at: input.acquiredAt,
          expires_at: grant.expiresAt,
        }, ['team_id', 'amount', 'acquired_at']);
        if (stored.created) {
          await trx('credit_transactions').insert({
            grant_id: id,
            idempotency_key: `${input.key}:contributed`,
            kind: 'contributed',
            user_id: input.userId ?? null,
            team_id: input.teamId,
            amount: input.amount,
            at: input.contributedAt ?? input.acquiredAt,
          });
        }
        return stored.row;
      });
      return { grantId: row.id, teamId: input.teamId /* a fact of the key: the stored row's */, amount: row.amount, acquiredAt: instantOf(row.acquired_at), expiresAt: instantOf(row.expires_at) };
    },
  };
}
