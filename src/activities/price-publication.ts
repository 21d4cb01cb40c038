// Section 14's fan-out as an activity: one page of the teams on a published price hears of it by the team
// workflow's `pricePublished` signal. The page is sent a few signals at a time, and only while the worker's task
// queue is short: each signal is a workflow task for the worker that also runs renewals and requests, so the
// publication never puts more than MAX_BACKLOG teams' tasks ahead of them. A retried page starts where the last
// attempt's heartbeat says it stopped; a team told twice records its notice once (its key names the version).
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { PriceVersion } from '../domain/price-versions';
import { teamsOnPrice } from '../ledger/pricing';
import { pricePublishedSignal } from '../workflows/team-pricing-messages';
import { teamWorkflowId } from '../workflows/team-subscription-messages';
import type { BillingDependencies } from './dependencies';

/** Signals in flight at once. */
const SIGNALS_AT_ONCE = 20;
/** Workflow tasks the queue may hold before the fan-out waits: a renewal arriving now waits behind at most these. */
export const MAX_BACKLOG = 200;
const BACKLOG_POLL_MS = 1_000;

export interface TellTeamsOfPriceInput {
  version: PriceVersion;
  /** The last team of the previous page ('' for the first). */
  after: string;
  limit: number;
}

export interface TeamsTold {
  told: number;
  /** Teams on the price in the read model whose workflow is not running (nothing of theirs renews); this attempt's. */
  notReached: string[];
  /** The last team of this page; null when it was the last page. */
  last: string | null;
}

export function pricePublicationActivities({ db, temporal }: Pick<BillingDependencies, 'db'> & { temporal?: Client }) {
  return {
    async tellTeamsOfPrice({ version, after, limit }: TellTeamsOfPriceInput): Promise<TeamsTold> {
      const context = Context.current();
      const client = temporal ?? context.client;
      const teams = await teamsOnPrice(db, { plan: version.plan, interval: version.interval, after, limit });
      const resumed = (context.info.heartbeatDetails as { sent?: number } | undefined)?.sent ?? 0;
      const notReached: string[] = [];
      for (let sent = resumed; sent < teams.length; sent += SIGNALS_AT_ONCE) {
        await untilBacklogBelow(client, context, MAX_BACKLOG, sent);
        await Promise.all(teams.slice(sent, sent + SIGNALS_AT_ONCE).map((teamId) =>
          client.workflow.getHandle(teamWorkflowId(teamId)).signal(pricePublishedSignal, version).catch((error: unknown) => {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            notReached.push(teamId);
          })));
        context.heartbeat({ sent: sent + SIGNALS_AT_ONCE });
      }
      if (notReached.length > 0) context.log.warn('price publication: teams in the read model without a running workflow', { notReached });
      return { told: teams.length - notReached.length, notReached: notReached.sort(), last: teams.length < limit ? null : teams.at(-1)! };
    },
  };
}

/** gRPC's UNIMPLEMENTED: a server without task queue statistics (the time-skipping test server). */
const UNIMPLEMENTED = 12;

/** Waits (heartbeating) while the worker's workflow task queue holds `max` tasks or more. */
async function untilBacklogBelow(client: Client, context: Context, max: number, sent: number): Promise<void> {
  for (;;) {
    const described = await client.workflowService.describeTaskQueue({
      namespace: context.info.workflowNamespace,
      taskQueue: { name: context.info.taskQueue },
      taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      reportStats: true,
    }).catch((error: unknown) => {
      if ((error as { code?: number }).code === UNIMPLEMENTED) return null; // nothing to pace by
      throw error;
    });
    if (!described || Number(described.stats?.approximateBacklogCount ?? 0) < max) return;
    context.heartbeat({ sent });
    await context.sleep(BACKLOG_POLL_MS);
  }
}
