import type { Instant } from '../domain/calendar';
import type { BillingDependencies } from './dependencies';
import { requireText } from './failures';
import { insertOnce } from './ledger-rows';

export interface RecordAuditInput {
  key: string;
  teamId?: string;
  kind: string;
  payload: Record<string, unknown>;
  workflowId: string;
  runId: string;
  /** The workflow's time; the activity's clock when absent. */
  at?: Instant;
}

export function auditActivities({ db, now = () => new Date() }: BillingDependencies) {
  return {
    /** Evidence for support: what happened, and which workflow run did it. */
    async recordAudit(input: RecordAuditInput): Promise<{ auditEventId: number }> {
      requireText(input.key, 'key');
      const { row } = await insertOnce<{ id: number }>(db, 'audit_events', {
        team_id: input.teamId ?? null,
        idempotency_key: input.key,
        kind: input.kind,
        payload: JSON.stringify(input.payload),
        workflow_id: input.workflowId,
        run_id: input.runId,
        at: input.at ?? now().toISOString(),
      }, ['team_id', 'kind']);
      return { auditEventId: row.id };
    },
  };
}
