// Referral credits (section 8) as one service for the API: earn, contribute, read holdings and history.
import { instantFromEpochMs, type Instant } from '../../domain/calendar';
import type { Db } from '../db';
import { contribute, type ContributionRequest } from './contributions';
import { creditHistory, type CreditHolder } from './credit-history';
import { creditHoldings } from './credit-holdings';
import { rewardReferral, type Registration } from './referral-rewards';

export interface CreditServiceDeps {
  db: Db;
  /** The clock for what the caller does not date; tests pin it. */
  now?: () => Date;
}

export function clockOf(deps: CreditServiceDeps): () => Instant {
  const now = deps.now ?? (() => new Date());
  return () => instantFromEpochMs(now().getTime());
}

export function referralCredits(deps: CreditServiceDeps) {
  const { db } = deps;
  const now = clockOf(deps);
  return {
    rewardReferral: (registration: Registration) => rewardReferral(db, registration),
    contribute: (request: Omit<ContributionRequest, 'at'>) => contribute(db, { ...request, at: now() }),
    holdings: (holder: CreditHolder) => creditHoldings(db, holder, now()),
    history: (holder: CreditHolder, page: { limit: number; before?: number }) => creditHistory(db, holder, page),
  };
}

export type ReferralCredits = ReturnType<typeof referralCredits>;
