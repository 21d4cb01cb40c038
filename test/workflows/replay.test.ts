// Replays stored histories of the team workflow against the current workflow code: a change that would make a
// running workflow non-deterministic fails here. The histories were recorded by the workflow tests with
// SEATBILL_RECORD_HISTORIES=1 (see TeamUnderTest.recordHistory); a deliberate change of behaviour goes behind
// patched() and keeps these files, and new recordings are added beside them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietBundler });
}, 120_000);

test('there are stored histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test.each(files)('%s replays deterministically', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle }, history, file.replace(/\.json$/, ''));
}, 60_000);
