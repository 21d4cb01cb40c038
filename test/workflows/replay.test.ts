// Replays every stored history of the manifest (test/workflows/histories/MANIFEST.json and the `*.entry.json`) against the current workflow
// code: a change that would make a running workflow non-deterministic fails here. The histories were recorded with
// SEATBILL_RECORD_HISTORIES=1 (see test/support/record-history.ts); a deliberate change of behaviour goes behind a new
// patch ID (src/workflows/patches.ts) and keeps these files, and new recordings are added beside them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow/lib/errors';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { sharedWorkflowModules } from '../../src/infra/workflow-bundle';
import * as exported from '../../src/workflows';
import { HISTORIES_DIR as dir, readManifest } from '../support/history-manifest';

const files = Object.keys(readManifest(dir)).sort();

/**
 * The histories no bundle can replay beside the others, and where they stop: the first meaning of the
 * `subscription-view` patch (src/workflows/patches.ts, SUBSCRIPTION_VIEW says why). Pinned, so that the day it
 * replays, or fails elsewhere, this test says so.
 */
const CANNOT_REPLAY: Record<string, RegExp> = {
  'read-model-and-local-audit.json':
    /Activity type of recorded marker 'publishSubscriptionView' does not match activity type of local activity command 'recordSubscriptionChange'/,
  // Recorded by the charges-queue branch (issue 24), taken back out before it landed: no deployed run took that patch.
  'monthly-renewal-charges-queue.json': /Non-deprecated patch marker encountered for change charges-queue, but there is no corresponding change command/,
};
const replayable = files.filter((file) => !(file in CANNOT_REPLAY));
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), preloadModules: sharedWorkflowModules, logger: quietBundler });
}, 120_000);

/** Every workflow type the worker runs (src/workflows/index.ts). */
const WORKFLOW_TYPES = ['billingManagerInvitation', 'creditExpirySweep', 'documentEmails', 'notificationEmails', 'pricePublication', 'renewalSweep', 'teamSubscription', 'webhookDelivery'];

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

const load = (file: string) => historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));

/** The team workflow's start input (the state a run was started with, when it carries one). */
function startInput(events: ReturnType<typeof load>['events']): { carried: object } {
  const data = events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  return JSON.parse(Buffer.from(data ?? []).toString('utf8')) as { carried: object };
}

test.each(replayable)('%s replays deterministically', async (file) => {
  await Worker.runReplayHistory({ workflowBundle }, load(file), file.replace(/\.json$/, ''));
}, 60_000);

test.each(Object.entries(CANNOT_REPLAY))('%s fails at the local activity that patches.ts says no code can choose', async (file, reason) => {
  expect(files).toContain(file);
  const replay = Worker.runReplayHistory({ workflowBundle }, load(file), file.replace(/\.json$/, ''));
  await expect(replay).rejects.toThrow(DeterminismViolationError);
  await expect(replay).rejects.toThrow(reason);
}, 60_000);

/** What the team workflow can read in its first workflow task (the start input's shape, the patch markers), and the local activities it ran. */
function firstTask(file: string) {
  const events = load(file).events ?? [];
  const end = events.findIndex((event, index) => index > 2 && event.workflowTaskScheduledEventAttributes); // the second task
  const task = events.slice(0, end);
  const input = startInput(events);
  const markers = task.flatMap((event) => {
    const details = event.markerRecordedEventAttributes?.details ?? {};
    const data = details['patch-data'] ?? details.data;
    return data ? [JSON.parse(Buffer.from(data.payloads?.[0]?.data ?? []).toString('utf8')) as { id?: string; activity_type?: string }] : [];
  });
  return {
    inputShape: Object.keys(input.carried).sort(),
    patches: markers.flatMap((marker) => marker.id ?? []),
    localActivities: markers.flatMap((marker) => marker.activity_type ?? []),
  };
}

test('the first meaning of subscription-view cannot be told from the second in the first workflow task', () => {
  const first = firstTask('read-model-and-local-audit.json');
  const second = firstTask('change-records-read-model.json');
  expect({ ...first, localActivities: undefined }).toEqual({ ...second, localActivities: undefined });
  expect(first.patches).toEqual(['serialized-requests', 'subscription-view', 'keep-timer']);
  expect([first.localActivities, second.localActivities]).toEqual([['publishSubscriptionView'], ['recordSubscriptionChange']]);
});

/** Long-lived teams (scripts/carried-state-histories.ts): the fields their carried state lacks, as runs from before each patch carried it. */
const CARRIED_WITHOUT: Record<string, string[]> = {
  'team-carried-from-before-serialized-requests.json': ['lastPayment', 'auditSequence', 'viewVersion', 'seatOrder', 'trialNoticeOn', 'declinedSeatCharge'],
  'team-carried-from-before-trial-ending-notice.json': ['trialNoticeOn', 'viewVersion', 'declinedSeatCharge'],
  'team-carried-from-before-read-model.json': ['viewVersion', 'trialNoticeOn', 'declinedSeatCharge'],
};

test.each(Object.entries(CARRIED_WITHOUT))('%s starts from a state carried without the later fields and crosses into continue-as-new', (file, absent) => {
  expect(files).toContain(file);
  const events = load(file).events ?? [];
  const input = startInput(events);
  expect(absent.filter((field) => field in input.carried)).toEqual([]);
  expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
});
