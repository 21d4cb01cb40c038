// How the team workflow evolves: the `serialized-requests` change went in behind patched(). A team created by
// update-with-start (subscribe delivered with the start) was recorded before the change, when the subscribe ran
// beside open() (ensureTeam and issueInvoice scheduled in the same workflow task: the race the fault tests found),
// and after it, when the subscribe waits for open(). Both histories replay against today's code; the old one takes
// the unpatched branch, so workflows that were running before the deploy carry on. test/workflows/replay.test.ts
// replays every stored history of every workflow type; this file checks what the two differ in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { SERIALIZED_REQUESTS } from '../../src/workflows/patches';
import { patchMarkersOf } from '../support/history-manifest';

const dir = join(__dirname, '../workflows/histories');
const load = (name: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
const before = load(`team-update-with-start-before-${SERIALIZED_REQUESTS}`);
const after = load(`team-update-with-start-${SERIALIZED_REQUESTS}`);

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  bundle = await workflowBundle();
}, 120_000);

/** The activities each workflow task scheduled, in order. */
function activitiesByTask(history: temporal.api.history.v1.IHistory): string[][] {
  const tasks: string[][] = [];
  for (const event of history.events ?? []) {
    if (event.workflowTaskCompletedEventAttributes) tasks.push([]);
    const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (type) tasks.at(-1)!.push(type);
  }
  return tasks.filter((task) => task.length > 0);
}

test('before the patch: the subscribe delivered with the start ran beside open(), and the history replays unpatched', async () => {
  expect(patchMarkersOf(before)).not.toContain(SERIALIZED_REQUESTS);
  expect(activitiesByTask(before)).toEqual([['ensureTeam', 'issueInvoice'], ['collectInvoice']]);
  await Worker.runReplayHistory({ workflowBundle: bundle }, before, 'before-serialized-requests');
}, 60_000);

test('after the patch: the subscribe waits for open(), one activity at a time, and the history replays patched', async () => {
  expect(patchMarkersOf(after)).toContain(SERIALIZED_REQUESTS);
  expect(activitiesByTask(after)).toEqual([['ensureTeam'], ['issueInvoice'], ['collectInvoice']]);
  await Worker.runReplayHistory({ workflowBundle: bundle }, after, 'serialized-requests');
}, 60_000);
