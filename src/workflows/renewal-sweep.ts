// Started daily by the renewal-sweep Schedule (src/infra/schedules.ts): every team the ledger has on a paid plan
// must have a running workflow that agrees with it. A disagreement is reported (audit event `subscription_drift`,
// metric `seatbill_sweep_drift_total`); a missing workflow is started again from the ledger. Running it twice is
// harmless: a started workflow is found running the second time, and audit events are keyed by day and team.
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BillingActivities } from '../activities';
import type { RenewalSweepTotals, TeamReconciliation } from '../activities/sweep';
import { dayOf, instantFromEpochMs, type Day } from '../domain/calendar';
import { ACTIVITY_RETRY } from './retry';

export const RENEWAL_SWEEP_PAGE_SIZE = 200;
/** Teams checked at once: each check is a query (or a start) on the Temporal server. */
const PARALLEL_CHECKS = 10;

const { listLedgerSubscriptions, reconcileTeamSubscription, reportRenewalSweep } = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: ACTIVITY_RETRY,
});

export interface RenewalSweepInput {
  /** Carried by continue-as-new: the day being swept, the last team checked, and the counts so far. */
  today?: Day;
  after?: string;
  totals?: RenewalSweepTotals;
}

const noTotals: RenewalSweepTotals = { checked: 0, inLine: 0, busy: 0, drift: 0, restarted: 0, unrecoverable: 0, unreadable: 0 };

function tally(totals: RenewalSweepTotals, result: TeamReconciliation): void {
  totals.checked += 1;
  if (result.outcome === 'in_line' || result.outcome === 'ended') totals.inLine += 1;
  else if (result.outcome === 'busy') totals.busy += 1;
  else if (result.outcome === 'drift') totals.drift += 1;
  else if (result.outcome === 'restarted') totals.restarted += 1;
  else totals.unrecoverable += 1;
}

export async function renewalSweep(input: RenewalSweepInput = {}): Promise<RenewalSweepTotals> {
  // One day for the whole sweep: the workflow's clock when it first started (deterministic on replay).
  const today = input.today ?? dayOf(instantFromEpochMs(Date.now()));
  const totals = { ...noTotals, ...input.totals };
  let after = input.after ?? '';
  for (;;) {
    const page = await listLedgerSubscriptions({ today, after, limit: RENEWAL_SWEEP_PAGE_SIZE });
    totals.unreadable += page.unreadable.length;
    for (let i = 0; i < page.subscriptions.length; i += PARALLEL_CHECKS) {
      const batch = page.subscriptions.slice(i, i + PARALLEL_CHECKS);
      for (const result of await Promise.all(batch.map((ledger) => reconcileTeamSubscription({ ledger, today })))) tally(totals, result);
    }
    if (page.last === null) break;
    after = page.last;
    // Thousands of teams make a long history: carry on in a new run where this one stopped.
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof renewalSweep>({ today, after, totals });
  }
  await reportRenewalSweep(totals);
  return totals;
}
