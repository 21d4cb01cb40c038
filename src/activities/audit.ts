import { dayOf, type Day, type Instant } from '../domain/calendar';
import { subscriptionChanged } from '../ledger/outbox/audit-events';
import { relayAfterWrite, type OutboxWrite } from './relay';
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

/** The audit row and the webhook events of the change it records, inside the caller's transaction; what it queued. */
export async function writeAudit(trx: DbOrTrx, input: RecordAuditInput, at: Instant): Promise<OutboxWrite & { id: number }> {
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
  if (!created) return { id: row.id, foundWritten: true, queued: 0 };
  if (!input.teamId || input.kind !== 'subscription_changed') return { id: row.id, foundWritten: false, queued: 0 };
  const queued = await subscriptionChanged(trx, { key: input.key, teamId: input.teamId, payload: input.payload, at, on: row.on });
  return { id: row.id, foundWritten: false, queued };
}

export function auditActivities({ db, now = () => new Date() }: BillingDependencies) {
  return {
    /** Evidence for support: what happened, and which workflow run did it. */
    async recordAudit(input: RecordAuditInput): Promise<{ auditEventId: number }> {
      // The row and the webhook events of the change it records commit together; the relay sends them after the commit.
      const written = await db.transaction((trx) => writeAudit(trx, input, input.at ?? now().toISOString()));
      await relayAfterWrite(db, written);
      return { auditEventId: written.id };
    },
  };
}
