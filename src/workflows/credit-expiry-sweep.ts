// Started by the credit-expiry Schedule (src/infra/schedules.ts): expires every referral-credit grant past its
// last usable second, batch by batch, and writes each `expired` history row. Running it again, or twice, is
// harmless: an expired grant has nothing left and its history row is keyed by the grant.
import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../activities';
import { instantFromEpochMs } from '../domain/calendar';
import type { Cents } from '../domain/money';
import { ACTIVITY_RETRY } from './retry';

export const CREDIT_EXPIRY_BATCH_SIZE = 500;

const { expireDueCredits } = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: ACTIVITY_RETRY,
});

export async function creditExpirySweep(): Promise<{ grants: number; amount: Cents }> {
  // One cut-off for the whole run: the workflow's clock when it started (deterministic on replay).
  const at = instantFromEpochMs(Date.now());
  let grants = 0;
  let amount = 0;
  for (let more = true; more; ) {
    const batch = await expireDueCredits({ at, batchSize: CREDIT_EXPIRY_BATCH_SIZE });
    grants += batch.grants;
    amount += batch.amount;
    more = batch.more;
  }
  return { grants, amount };
}
