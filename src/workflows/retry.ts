// How workflows retry an activity's transient failure (a database restart, a lost connection, a provider outage):
// the same idempotent call under the same keys, 1 s, 2 s, 4 s … apart, at most a minute, until it works. A failure
// the activity marks non-retryable (a decline, a refusal by the ledger) is not retried.
import type { RetryPolicy } from '@temporalio/common';

export const ACTIVITY_RETRY: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };
