// Contributing (section 8): a user gives some of their credits to a team, one way. Only what the user holds can
// be given, soonest-expiring first; each part becomes a team grant that keeps its original expiry. The caller
// names the contribution (e.g. the id of the form it submitted), so a retried request moves the credits once.
import type { Instant } from '../../domain/calendar';
import { contributeCredits, type CreditGrant } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import { instantOf, newId, type DbOrTrx } from '../rows';
import { assertSameFacts, CreditRefusal } from './errors';
import { grantOf, userGrantRows, type GrantRow } from './grants';

export interface ContributionRequest {
  userId: string;
  teamId: string;
  /** Chosen by the caller, unique per user: the same id again is the same contribution. */
  contributionId: string;
  amount: Cents;
  at: Instant;
}

export interface Contribution {
  contributionId: string;
  userId: string;
  teamId: string;
  amount: Cents;
  /** The team grants it made, each keeping the expiry of the user grant it came from. */
  parts: { grantId: string; originGrantId: string; amount: Cents; expiresAt: Instant }[];
  replayed: boolean;
}

export async function contribute(db: DbOrTrx, request: ContributionRequest): Promise<Contribution> {
  const key = `contribution:${request.userId}:${request.contributionId}`;
  return db.transaction(async (trx) => {
    if (!(await trx('teams').where({ id: request.teamId }).first('id'))) {
      throw new CreditRefusal('unknown_team', `there is no team ${request.teamId}`, { teamId: request.teamId });
    }
    const [claimed] = await trx('credit_contributions')
      .insert({ id: newId('cc'), idempotency_key: key, user_id: request.userId, team_id: request.teamId, amount: request.amount, at: request.at })
      .onConflict('idempotency_key')
      .ignore()
      .returning('id');
    if (!claimed) return replay(trx, key, request);

    // Locked so two contributions of one user cannot both spend the same credits.
    const rows = (await userGrantRows(trx, request.userId).forUpdate()) as GrantRow[];
    const result = contributeCredits(rows.map(grantOf), request.amount, request.at);
    if (!result.ok) throw new CreditRefusal('insufficient_credits', result.message, { available: result.available, asked: request.amount });

    const parts: Contribution['parts'] = [];
    const acquiredAt = new Map(rows.map((row) => [row.id, row.acquired_at]));
    for (const part of result.contributed) parts.push(await movePart(trx, key, request, part, acquiredAt.get(part.id) as Date));
    return { contributionId: request.contributionId, userId: request.userId, teamId: request.teamId, amount: request.amount, parts, replayed: false };
  });
}

/** Takes one part off the user's grant and gives it to the team as a grant of its own, with its history row. */
async function movePart(
  trx: DbOrTrx,
  key: string,
  request: ContributionRequest,
  part: CreditGrant,
  acquiredAt: Date,
): Promise<Contribution['parts'][number]> {
  const taken = await trx('credit_grants').where({ id: part.id }).where('remaining', '>=', part.amount).decrement('remaining', part.amount);
  if (taken !== 1) throw new Error(`grant ${part.id} changed while locked`); // cannot happen under the lock
  const grantId = newId('cg');
  await trx('credit_grants').insert({
    id: grantId,
    user_id: request.userId,
    team_id: request.teamId,
    idempotency_key: `${key}:${part.id}`,
    source: 'contribution',
    amount: part.amount,
    remaining: part.amount,
    acquired_at: acquiredAt,
    expires_at: part.expiresAt,
    origin_grant_id: part.id,
  });
  await trx('credit_transactions').insert({
    grant_id: grantId,
    idempotency_key: `${key}:${part.id}:contributed`,
    kind: 'contributed',
    user_id: request.userId,
    team_id: request.teamId,
    amount: part.amount,
    at: request.at,
  });
  return { grantId, originGrantId: part.id, amount: part.amount, expiresAt: part.expiresAt };
}

async function replay(trx: DbOrTrx, key: string, request: ContributionRequest): Promise<Contribution> {
  const stored = (await trx('credit_contributions').where({ idempotency_key: key }).first()) as { team_id: string; amount: Cents };
  assertSameFacts(key, stored, { team_id: request.teamId, amount: request.amount });
  const rows = (await trx('credit_grants')
    .whereLike('idempotency_key', `${escapeLike(key)}:%`)
    .orderBy('expires_at')
    .select('id', 'origin_grant_id', 'amount', 'expires_at')) as { id: string; origin_grant_id: string; amount: Cents; expires_at: Date }[];
  const parts = rows.map((row) => ({ grantId: row.id, originGrantId: row.origin_grant_id, amount: row.amount, expiresAt: instantOf(row.expires_at) }));
  return { contributionId: request.contributionId, userId: request.userId, teamId: request.teamId, amount: stored.amount, parts, replayed: true };
}

/** The caller's id may hold LIKE's wildcards; they must match only themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
