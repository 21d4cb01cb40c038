// The next-event timer is kept while the next event day stays the same: requests that do not move the schedule
// add no TIMER_CANCELED + TIMER_STARTED pair to the history (the workflow-overhead benchmark's finding).
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { RECORDS_TIMER_SUMMARY } from '../../src/workflows/team/change-records';
import { addMembersUpdate, removeMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('member changes within a period keep the renewal timer; the renewal still happens on its day', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 2 }] });
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'active', periodEnd: '2026-07-20' });

  const [, period] = await team.runs(); // run 0 ends with the subscribe's new period; run 1 is May 20 – Jun 20
  // The next-event timer only: a records timer (records-after-answer) comes and goes with a burst of requests.
  const events = period!.history.events ?? [];
  const recordsTimers = new Set(events.filter((event) => event.userMetadata?.summary && defaultPayloadConverter.fromPayload(event.userMetadata.summary) === RECORDS_TIMER_SUMMARY).map((event) => String(event.eventId)));
  const types = events
    .filter((event) => !recordsTimers.has(String(event.eventId)) && !recordsTimers.has(String(event.timerFiredEventAttributes?.startedEventId)))
    .map((event) => event.eventType);
  const count = (type: number) => types.filter((t) => t === type).length;
  const { EVENT_TYPE_TIMER_STARTED, EVENT_TYPE_TIMER_FIRED, EVENT_TYPE_TIMER_CANCELED } = temporal.api.enums.v1.EventType;
  expect([count(EVENT_TYPE_TIMER_STARTED), count(EVENT_TYPE_TIMER_FIRED), count(EVENT_TYPE_TIMER_CANCELED)]).toEqual([1, 1, 0]);
  await team.recordHistory('keep-timer', 1);
});
