// Earning (section 8): when someone registers after an invitation (to a team, a project, or through a referral
// link), the inviter earns REFERRAL_REWARD. Once per registered user, however many invitations they had: the
// grant's key is the registered user, so a repeated registration event earns nothing more.
import type { Instant } from '../../domain/calendar';
import { acquireCredits, REFERRAL_REWARD } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import { instantOf, newId, type DbOrTrx } from '../rows';

export type ReferralChannel = 'team' | 'project' | 'referral_link';

export interface Registration {
  registeredUserId: string;
  inviterUserId: string;
  channel: ReferralChannel;
  registeredAt: Instant;
}

export interface ReferralReward {
  /** False when the registered user had already earned someone a reward. */
  rewarded: boolean;
  grantId: string;
  inviterUserId: string;
  amount: Cents;
  expiresAt: Instant;
}

interface RewardRow {
  id: string;
  user_id: string;
  amount: Cents;
  expires_at: Date;
}

export function referralRewardKey(registeredUserId: string): string {
  return `referral:${registeredUserId}`;
}

export async function rewardReferral(db: DbOrTrx, registration: Registration): Promise<ReferralReward> {
  const key = referralRewardKey(registration.registeredUserId);
  const { grant, event } = acquireCredits(newId('cg'), REFERRAL_REWARD, registration.registeredAt);
  const answer = (row: RewardRow, rewarded: boolean): ReferralReward => ({
    rewarded, grantId: row.id, inviterUserId: row.user_id, amount: row.amount, expiresAt: instantOf(row.expires_at),
  });
  return db.transaction(async (trx) => {
    const [inserted] = (await trx('credit_grants')
      .insert({
        id: grant.id,
        user_id: registration.inviterUserId,
        team_id: null,
        idempotency_key: key,
        source: `referral:${registration.channel}`,
        amount: grant.amount,
        remaining: grant.amount,
        acquired_at: event.at,
        expires_at: grant.expiresAt,
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning(['id', 'user_id', 'amount', 'expires_at'])) as RewardRow[];
    if (!inserted) return answer((await trx('credit_grants').where({ idempotency_key: key }).first()) as RewardRow, false);
    await trx('credit_transactions').insert({
      grant_id: grant.id,
      idempotency_key: `${key}:acquired`,
      kind: 'acquired',
      user_id: registration.inviterUserId,
      amount: event.amount,
      at: event.at,
    });
    return answer(inserted, true);
  });
}
