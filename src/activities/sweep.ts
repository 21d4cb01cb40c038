// The renewal sweep's activities (workflow src/workflows/renewal-sweep.ts): read the ledger page by page, and for
// each team on a paid plan check its workflow. A running workflow that disagrees with the ledger is reported (an
// audit event and a metric; money is never moved here). A missing or closed one is started again from the ledger.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Day } from '../domain';
import { metrics } from '../observability/metrics';
import { TeamId } from '../workflows/search-attributes';
import {
  stateQuery,
  teamWorkflowId,
  teamWorkflowSummary,
  type PaymentMethodRef,
  type TeamSubscriptionInput,
  type TeamSubscriptionView,
} from '../workflows/team-subscription-messages';
import type { BillingDependencies } from './dependencies';
import { insertOnce } from '../ledger/rows';
import { driftOf, paidOn, restartInput, type DriftKind, type PreviousRun } from './sweep-drift';
import { listLedgerSubscriptions, type LedgerSubscription } from './sweep-ledger';

export type { LedgerSubscription } from './sweep-ledger';
export type { DriftKind } from './sweep-drift';

export interface SweepDependencies extends BillingDependencies {
  /** The client that reaches the team workflows; the worker's own client when absent. */
  temporal?: Client;
}

export type TeamReconciliation =
  | { teamId: string; outcome: 'in_line' | 'busy' | 'ended' }
  | { teamId: string; outcome: 'drift'; drift: DriftKind[] }
  | { teamId: string; outcome: 'restarted'; runId: string; previousRunId: string | null }
  /** Missing, and the ledger alone cannot start it (no payment method known). */
  | { teamId: string; outcome: 'unrecoverable'; previousRunId: string | null };

export interface RenewalSweepTotals {
  checked: number;
  inLine: number;
  busy: number;
  drift: number;
  restarted: number;
  unrecoverable: number;
  unreadable: number;
}

export function sweepActivities({ db, temporal, now = () => new Date() }: SweepDependencies) {
  const client = () => temporal ?? Context.current().client;
  const sweepRun = () => Context.current().info.workflowExecution ?? { workflowId: 'renewal-sweep', runId: 'none' };

  /** The sweep's own evidence, on the day it swept (`on`). */
  async function audit(teamId: string, on: Day, key: string, kind: string, payload: Record<string, unknown>): Promise<void> {
    const { workflowId, runId } = sweepRun();
    await insertOnce(db, 'audit_events', {
      team_id: teamId, idempotency_key: key, kind, payload: JSON.stringify(payload), workflow_id: workflowId, run_id: runId, at: now().toISOString(), on,
    }, ['team_id', 'kind']);
  }

  async function restart(ledger: LedgerSubscription, today: Day, handle: WorkflowHandle, previous: PreviousRun & { runId: string | null }): Promise<TeamReconciliation> {
    const { teamId } = ledger;
    metrics().sweepDrift.inc({ kind: 'workflow_missing' });
    const input = restartInput(ledger, today, previous);
    const facts = { ledger: { plan: ledger.plan, interval: ledger.interval, period: ledger.period, invoiceId: ledger.invoiceId }, previousRunId: previous.runId };
    if (!input) {
      await audit(teamId, today, `renewal-sweep:${today}:${teamId}:unrecoverable:${previous.runId ?? 'none'}`, 'subscription_workflow_unrecoverable', {
        ...facts, why: 'no payment method known: the team must set one again once its workflow is started',
      });
      Context.current().log.error('team workflow missing and not restartable from the ledger', { teamId, ...facts });
      return { teamId, outcome: 'unrecoverable', previousRunId: previous.runId };
    }
    try {
      const started = await client().workflow.start('teamSubscription', {
        taskQueue: Context.current().info.taskQueue, workflowId: handle.workflowId, args: [input],
        staticSummary: teamWorkflowSummary(teamId), typedSearchAttributes: [{ key: TeamId, value: teamId }],
      });
      metrics().sweepRepairs.inc();
      await audit(teamId, today, `renewal-sweep:${today}:${teamId}:restarted:${previous.runId ?? 'none'}`, 'subscription_workflow_restarted', {
        ...facts, runId: started.firstExecutionRunId, members: input.members, unbilledMemberChangesLost: true,
      });
      Context.current().log.warn('team workflow started again from the ledger', { teamId, runId: started.firstExecutionRunId, ...facts });
      return { teamId, outcome: 'restarted', runId: started.firstExecutionRunId, previousRunId: previous.runId };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { teamId, outcome: 'in_line' }; // someone else started it meanwhile
      throw error;
    }
  }

  return {
    /** One page of the teams the ledger has on a paid plan (or whose paid period ended in the last days). */
    async listLedgerSubscriptions(input: { today: Day; after: string; limit: number }) {
      const page = await listLedgerSubscriptions(db, input);
      if (page.unreadable.length > 0) Context.current().log.warn('period invoices the sweep cannot read', { teams: page.unreadable });
      return page;
    },

    /** Checks one team's workflow against the ledger; starts it again from the ledger when it is not running. */
    async reconcileTeamSubscription({ ledger, today }: { ledger: LedgerSubscription; today: Day }): Promise<TeamReconciliation> {
      const { teamId } = ledger;
      const handle = client().workflow.getHandle(teamWorkflowId(teamId));
      const description = await handle.describe().catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      });
      if (description?.status.name !== 'RUNNING') {
        if (!paidOn(ledger, today)) return { teamId, outcome: 'ended' };
        const previous = description ? await previousRun(handle) : {};
        return restart(ledger, today, handle, { ...previous, runId: description?.runId ?? null });
      }
      const view = await handle.query(stateQuery);
      if (view.busy) return { teamId, outcome: 'busy' }; // mid-request: the next sweep looks again
      const drift = driftOf(ledger, view);
      if (drift.length === 0) return { teamId, outcome: 'in_line' };
      for (const kind of drift) metrics().sweepDrift.inc({ kind });
      const workflow = { today: view.today, plan: view.plan, interval: view.interval, status: view.status, period: view.period, dunning: view.dunning };
      const ledgerSide = { plan: ledger.plan, interval: ledger.interval, period: ledger.period, invoiceId: ledger.invoiceId, openInvoices: ledger.openInvoices.map((i) => i.invoiceId) };
      await audit(teamId, view.today, `renewal-sweep:${view.today}:${teamId}:drift`, 'subscription_drift', { drift, ledger: ledgerSide, workflow, runId: description.runId });
      Context.current().log.warn('team workflow disagrees with the ledger', { teamId, drift, ledger: ledgerSide, workflow });
      return { teamId, outcome: 'drift', drift };
    },

    /** The sweep's totals, as the `seatbill_sweep_last_drift` gauge and one log line. */
    async reportRenewalSweep(totals: RenewalSweepTotals): Promise<void> {
      metrics().sweepLastDrift.set(totals.drift + totals.restarted + totals.unrecoverable);
      Context.current().log.info('renewal sweep done', { ...totals });
    },
  };
}

/** The last run's start input, its last accepted payment method, and its final state (replayed by a worker). */
async function previousRun(handle: WorkflowHandle): Promise<PreviousRun> {
  const previous: PreviousRun = {};
  const decode = <T>(payload: Payload | null | undefined): T | undefined => (payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined);
  try {
    const history = await handle.fetchHistory();
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started) previous.input = decode<TeamSubscriptionInput>(started.input?.payloads?.[0]);
      const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      if (update?.name === 'setPaymentMethod') previous.paymentMethod = decode<PaymentMethodRef>(update.args?.payloads?.[0]);
    }
  } catch (error) {
    Context.current().log.warn('cannot read the last run of a team workflow', { workflowId: handle.workflowId, error: String(error) });
  }
  previous.view = await handle.query(stateQuery).catch(() => undefined as TeamSubscriptionView | undefined);
  return previous;
}
