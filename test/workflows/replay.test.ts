// Replays stored histories of every workflow type against the current workflow code: a change that would make a
// running workflow non-deterministic fails here. The histories were recorded by the tests with
// SEATBILL_RECORD_HISTORIES=1 (see test/support/record-history.ts); a deliberate change of behaviour goes behind
// patched() and keeps these files, and new recordings are added beside them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import * as exported from '../../src/workflows';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietBundler });
}, 120_000);

/** Every workflow type the worker runs (src/workflows/index.ts). */
const WORKFLOW_TYPES = ['billingManagerInvitation', 'creditExpirySweep', 'notificationEmails', 'renewalSweep', 'teamSubscription', 'webhookDelivery'];

test('every workflow type has a stored history, and the list above names every workflow', () => {
  const stored = new Set(files.map((file) => {
    const { events } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] };
    return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  }));
  expect(WORKFLOW_TYPES.filter((type) => !stored.has(type))).toEqual([]);
  for (const type of WORKFLOW_TYPES) expect(typeof (exported as Record<string, unknown>)[type]).toBe('function');
  const workflows = Object.entries(exported).filter(([, value]) => typeof value === 'function' && value.constructor.name === 'AsyncFunction').map(([name]) => name);
  expect(workflows.sort()).toEqual(WORKFLOW_TYPES);
});

test.each(files)('%s replays deterministically', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle }, history, file.replace(/\.json$/, ''));
}, 60_000);
