// Stored histories (test/workflows/histories/, replayed by test/workflows/replay.test.ts): written when a test runs
// with SEATBILL_RECORD_HISTORIES=1, otherwise nothing. Record again only for a deliberate change, and keep the old
// files: they are what guards the workflows' determinism.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

export const recordingHistories = () => process.env.SEATBILL_RECORD_HISTORIES === '1';

export function storeHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  if (!recordingHistories()) return;
  const dir = join(__dirname, '../workflows/histories');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${historyToJSON(history)}\n`);
}

/** The history of a workflow's run (the latest by default), once it has closed. */
export async function recordWorkflowHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (!recordingHistories()) return;
  const handle = client.workflow.getHandle(workflowId, runId);
  await handle.result().catch(() => undefined);
  storeHistory(name, await handle.fetchHistory());
}
