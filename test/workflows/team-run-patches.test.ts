// src/workflows/team/run-patches.ts on the time-skipping server: a run decides every patch at its first activation,
// before any command of its own, by one patch set's marker, and the run it continues as carries them and records no
// marker at all; the money is the same (M1, section 5: 13200 + 1006 = 14206 at the renewal).
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { addMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { TEAM_PATCHES } from '../../src/workflows/team/run-patches';
import { patchMarkersOf } from '../support/history-manifest';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

type History = temporal.api.history.v1.IHistory;

/** The commands of the run's first workflow task, by kind: `patch:<id>`, `local activity`, `timer`, … */
function firstTaskCommands(history: History): string[] {
  const events = history.events ?? [];
  const completed = events.findIndex((event) => event.workflowTaskCompletedEventAttributes);
  const next = events.findIndex((event, i) => i > completed && event.workflowTaskScheduledEventAttributes);
  return events.slice(completed + 1, next < 0 ? undefined : next).map((event) => {
    if (event.markerRecordedEventAttributes?.markerName === 'core_patch') return `patch:${patchMarkersOf({ events: [event] })[0]}`;
    if (event.markerRecordedEventAttributes) return 'local activity';
    if (event.upsertWorkflowSearchAttributesEventAttributes) return 'upsert';
    if (event.timerStartedEventAttributes) return 'timer';
    if (event.activityTaskScheduledEventAttributes) return 'activity';
    return String(event.eventType);
  });
}

/** The patches a run was started with: its input's carried state.patches. */
function carriedPatches(history: History): unknown {
  const [payload] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return defaultPayloadConverter.fromPayload<{ carried?: { patches?: unknown } }>(payload!).carried?.patches;
}

test('the first run decides every patch before its first command; the run it continues as asks none, and bills the same', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');

  const [first, carried] = await team.runs();
  // One marker, its patch set's, stands for patches-at-start and every patch of TEAM_PATCHES through ledger-writes-local.
  expect(patchMarkersOf(first!.history)).toEqual(['patch-set-ledger-writes-local']);
  // Its first task: that marker (with the TemporalChangeVersion upsert Core adds) before anything else.
  const commands = firstTaskCommands(first!.history);
  expect(commands.slice(0, 2)).toEqual(['patch:patch-set-ledger-writes-local', 'upsert']);
  expect(commands.slice(2)).not.toContainEqual(expect.stringMatching(/^patch:/));

  expect(patchMarkersOf(carried!.history)).toEqual([]); // carried in state.patches: nothing asked of the server
  expect(carriedPatches(carried!.history)).toEqual([...TEAM_PATCHES]);
  const { invoices } = await team.ledger();
  expect(invoices.find((invoice) => invoice.reason === 'renewal')).toMatchObject({
    key: `${team.teamId}:renewal:2026-06-20:n2`, total: 14206, status: 'paid',
    lines: [{ kind: 'period', amount: 13200 }, { kind: 'members_added', amount: 1006 }],
  });
  await team.recordHistory('patch-set-ledger-writes-local-decided-at-start', 0);
  await team.recordHistory('patch-set-ledger-writes-local-carried-renewal', 1);
});
