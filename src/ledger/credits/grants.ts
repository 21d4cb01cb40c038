// Credit grants as the domain sees them (what is left of each, with its expiry), and the team balance: what pays
// an invoice besides the card.
import { dayOf } from '../../domain/calendar';
import type { CreditGrant } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import { instantOf, type DbOrTrx, type GrantRow } from '../rows';

export type { GrantRow } from '../rows';

export function grantOf(row: GrantRow): CreditGrant {
  return { id: row.id, amount: row.remaining, acquiredOn: dayOf(instantOf(row.acquired_at)), expiresAt: instantOf(row.expires_at) };
}

/** A user's own grants with credits left: those not contributed to a team (expired ones too; the domain skips them). */
export function userGrantRows(db: DbOrTrx, userId: string) {
  return db<GrantRow>('credit_grants').where({ user_id: userId }).whereNull('team_id').where('remaining', '>', 0).orderBy('id');
}

export function teamGrantRows(db: DbOrTrx, teamId: string) {
  return db<GrantRow>('credit_grants').where({ team_id: teamId }).where('remaining', '>', 0).orderBy('id');
}

/** The team's grants with credits left, as the domain sees them (expired ones included; the domain skips them). */
export async function teamGrants(db: DbOrTrx, teamId: string): Promise<CreditGrant[]> {
  return (await teamGrantRows(db, teamId)).map(grantOf);
}

/** The team balance: the sum of its balance transactions. */
export async function teamBalance(db: DbOrTrx, teamId: string): Promise<Cents> {
  const row = (await db('balance_transactions').where({ team_id: teamId }).sum({ balance: 'amount' }).first()) as { balance: string | null } | undefined;
  return Number(row?.balance ?? 0); // numeric arrives as a string
}
