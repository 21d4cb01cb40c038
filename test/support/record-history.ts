// Stored histories (test/workflows/histories/, replayed by test/workflows/replay.test.ts): written when a test runs
// with SEATBILL_RECORD_HISTORIES=1, otherwise nothing. They are append-only (./history-manifest): a name already
// stored is never written again, so a new recording of a changed path needs a new name.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { HISTORIES_DIR, readManifest, sha256Of, writeEntry } from './history-manifest';

export const recordingHistories = () => process.env.SEATBILL_RECORD_HISTORIES === '1';

/** The commit the workflow code is at, `+uncommitted` when src/ differs from it. */
export function recordingCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--short=7', 'HEAD');
  return git('status', '--porcelain', '--', '../../src') === '' ? commit : `${commit}+uncommitted`;
}

/**
 * Writes `<name>.json` and its entry file (`<name>.entry.json`), unless a history of that name exists: it is kept as it is (an
 * existing file is evidence of what older code did) and the call says so. `dir` is for tests of the recorder.
 */
export function storeHistory(name: string, history: temporal.api.history.v1.IHistory, dir: string = HISTORIES_DIR): 'recorded' | 'kept' {
  const file = `${name}.json`;
  if (readManifest(dir)[file]) return kept(file); // listed: a deleted file is restored from git, not recorded anew
  try {
    writeFileSync(join(dir, file), `${historyToJSON(history)}\n`, { flag: 'wx' }); // wx: fails if the file exists
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return kept(file);
  }
  writeEntry(dir, file, { sha256: sha256Of(join(dir, file)), recordedBy: recordingCommit() });
  process.stderr.write(`recorded ${file} (${history.events?.length ?? 0} events)\n`);
  return 'recorded';
}

function kept(file: string): 'kept' {
  process.stderr.write(`kept ${file}: stored histories are never overwritten; record the new one under a new name\n`);
  return 'kept';
}

/** The history of a workflow's run (the latest by default), once it has closed. */
export async function recordWorkflowHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (!recordingHistories()) return;
  const handle = client.workflow.getHandle(workflowId, runId);
  await handle.result().catch(() => undefined);
  storeHistory(name, await handle.fetchHistory());
}
