import { dayOf, type Day, type Instant } from '../domain/calendar';
import { subscriptionChanged } from '../ledger/outbox/audit-events';
import { relayFromActivity } from './relay';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';
import { insertOnce, type DbOrTrx } from '../ledger/rows';

export interface RecordAuditInput {
  key: string;
  teamId?: string;
  kind: string;
  payload: Record<string, unknown>;
  workflowId: string;
  runId: string;
  /** The workflow's time; the activity's clock when absent. */
  at?: Instant;
  /** The business day of the change (a scheduled event's own day); the day of `at` when absent. */
  on?: Day;
}

/** The audit row and the webhook events of the change it records, inside the caller's transaction; how many events were queued. */
export async function writeAudit(trx: DbOrTrx, input: RecordAuditInput, at: Instant): Promise<{ id: number; queued: number }> {
  requireText(input.key, 'key');
  const { row, created } = await insertOnce<{ id: number; on: Day }>(trx, 'audit_events', {
    team_id: input.teamId ?? null,
    idempotency_key: input.key,
    kind: input.kind,
    payload: JSON.stringify(input.payload),
    workflow_id: input.workflowId,
    run_id: input.runId,
    at,
    on: input.on ?? dayOf(at),
  }, ['team_id', 'kind']);
  if (!created || !input.teamId || input.kind !== 'subscription_changed') return { id: row.id, queued: 0 };
  return { id: row.id, queued: await subscriptionChanged(trx, { key: input.key, teamId: input.teamId, payload: input.payload, at, on: row.on }) };
}

export function auditActivities({ db, now = () => new Date() }: BillingDependencies) {
  return {
    /** Evidence for support: what happened, and which workflow run did it. */
    async recordAudit(input: RecordAuditInput): Promise<{ auditEventId: number }> {
      // The row and the webhook events of the change it records commit together; the relay sends them after the commit.
      const { id, queued } = await db.transaction((trx) => writeAudit(trx, input, input.at ?? now().toISOString()));
      if (queued > 0) await relayFromActivity(db);
      return { auditEventId: id };
    },
  };
}
