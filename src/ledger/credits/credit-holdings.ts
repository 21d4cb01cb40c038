// What a user or a team holds now: the usable grants, soonest-expiring first, and their sum.
import type { Instant } from '../../domain/calendar';
import { creditBalance, usableGrants } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import type { DbOrTrx } from '../rows';
import type { CreditHolder } from './credit-history';
import { grantOf, teamGrantRows, userGrantRows, type GrantRow } from './grants';

export interface CreditHoldings {
  balance: Cents;
  grants: { grantId: string; remaining: Cents; expiresAt: Instant }[];
}

export async function creditHoldings(db: DbOrTrx, holder: CreditHolder, at: Instant): Promise<CreditHoldings> {
  const rows = (await ('userId' in holder ? userGrantRows(db, holder.userId) : teamGrantRows(db, holder.teamId))) as GrantRow[];
  const grants = rows.map(grantOf);
  return {
    balance: creditBalance(grants, at),
    grants: usableGrants(grants, at).map((grant) => ({ grantId: grant.id, remaining: grant.amount, expiresAt: grant.expiresAt })),
  };
}
