// Credit grants as the domain sees them: what is left of each, with its expiry.
import { dayOf } from '../../domain/calendar';
import type { CreditGrant } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import { instantOf, type DbOrTrx } from '../rows';

export interface GrantRow {
  id: string;
  user_id: string | null;
  team_id: string | null;
  remaining: Cents;
  acquired_at: Date;
  expires_at: Date;
}

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
