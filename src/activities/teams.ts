import type { BillingDependencies } from './dependencies';
import { nonRetryable, requireText } from './failures';
import type { DbOrTrx } from '../ledger/rows';

export interface EnsureTeamInput {
  teamId: string;
  name: string;
  /** ISO 3166-1 alpha-2; decides the refund window (section 10). */
  billingCountry: string;
  organizationId?: string;
}

export interface TeamRecord {
  teamId: string;
  name: string;
  billingCountry: string;
  organizationId: string | null;
}

interface TeamRow {
  id: string;
  name: string;
  billing_country: string;
  organization_id: string | null;
}

export function teamActivities({ db }: BillingDependencies) {
  return {
    /** Creates the team's ledger record, or brings its name and country up to date: the last call wins. */
    async ensureTeam(input: EnsureTeamInput): Promise<TeamRecord> {
      requireText(input.teamId, 'teamId');
      const [row] = await db<TeamRow>('teams')
        .insert({
          id: input.teamId,
          name: input.name,
          billing_country: input.billingCountry.trim().toUpperCase(),
          organization_id: input.organizationId ?? null,
        })
        .onConflict('id')
        .merge(['name', 'billing_country', 'organization_id'])
        .returning('*');
      const team = row as TeamRow;
      return { teamId: team.id, name: team.name, billingCountry: team.billing_country, organizationId: team.organization_id };
    },
  };
}

/**
 * Locks the team's row for the transaction. Every write that plans or spends the team's balance and credits
 * takes it first, so two of them never plan the same money.
 */
export async function lockTeam(trx: DbOrTrx, teamId: string): Promise<void> {
  const team = await trx('teams').where({ id: teamId }).forUpdate().first('id');
  if (!team) throw nonRetryable('UnknownTeam', `no team ${teamId} in the ledger; ensureTeam first`, { teamId });
}
