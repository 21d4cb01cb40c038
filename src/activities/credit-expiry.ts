import type { Instant } from '../domain/calendar';
import { expireDueGrants, type ExpiryBatch } from '../ledger/credits/credit-expiry';
import type { BillingDependencies } from './dependencies';
import { nonRetryable, requireText } from './failures';

export interface ExpireDueCreditsInput {
  /** The sweep's cut-off, the same for every batch of one run. */
  at: Instant;
  batchSize: number;
}

export function creditExpiryActivities({ db }: BillingDependencies) {
  return {
    /** One batch of the credit-expiry sweep; the workflow calls it again while `more` is true. */
    async expireDueCredits(input: ExpireDueCreditsInput): Promise<ExpiryBatch> {
      requireText(input.at, 'at');
      if (!Number.isInteger(input.batchSize) || input.batchSize < 1) throw nonRetryable('InvalidInput', `batchSize must be a positive integer, got ${input.batchSize}`);
      return expireDueGrants(db, input.at, input.batchSize);
    },
  };
}
