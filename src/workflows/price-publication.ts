// Section 14: a published price reaches every running team on its plan and interval. Started by POST /v1/prices
// once the version is in the catalog, under an ID naming the version, so a retried request starts it once; it
// pages through the teams (tellTeamsOfPrice signals one page, paced by the worker's queue) and carries on in a new
// run when the history grows long. Durable: a worker or API crash mid-way resumes at the page it was on, and the
// operator sees each page in the Temporal UI. A team with the price's plan or interval pending (a tier down at period
// end) is not paged: the renewal that applies its change takes the price in force that day, with no notice (section 14).
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { BillingActivities } from '../activities';
import type { PriceVersion } from '../domain/price-versions';
import { ACTIVITY_RETRY } from './retry';

export const PRICE_PUBLICATION_PAGE_SIZE = 500;

const { tellTeamsOfPrice } = proxyActivities<BillingActivities>({
  // A page waits while the queue is long; its heartbeat shows it is alive, and a retry resumes from it.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: ACTIVITY_RETRY,
});

export interface PricePublicationInput {
  version: PriceVersion;
  /** Carried by continue-as-new: the last team told, and the counts so far. */
  after?: string;
  totals?: PricePublicationTotals;
}

export interface PricePublicationTotals {
  told: number;
  notReached: number;
}

export const pricePublicationWorkflowId = ({ plan, interval, version }: PriceVersion) => `price-publication:${plan}-${interval}:v${version}`;

export async function pricePublication(input: PricePublicationInput): Promise<PricePublicationTotals> {
  const totals = { told: 0, notReached: 0, ...input.totals };
  let after = input.after ?? '';
  for (;;) {
    const page = await tellTeamsOfPrice({ version: input.version, after, limit: PRICE_PUBLICATION_PAGE_SIZE });
    totals.told += page.told;
    totals.notReached += page.notReached.length;
    if (page.last === null) return totals;
    after = page.last;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof pricePublication>({ version: input.version, after, totals });
  }
}
