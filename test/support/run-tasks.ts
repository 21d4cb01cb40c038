// What a run of the team workflow asked of the server, read from its history (issue 24: the tasks a renewal takes).
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { RECORDS_TIMER_SUMMARY } from '../../src/workflows/team/change-records';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A local activity's marker's type and attempt (the worker's retries of it; run again on another worker, it starts at 1). */
function localActivityOf(event: HistoryEvent): { type: string; attempt: number } | null {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return null;
  const data = defaultPayloadConverter.fromPayload<{ activity_type: string; attempt?: number }>(marker.details!.data!.payloads![0]!);
  return { type: data.activity_type, attempt: data.attempt ?? 1 };
}

/** What the run did from its timer firing on: `task` per completed workflow task, then its activities by type. */
export function afterTimerFired(events: HistoryEvent[]): string[] {
  const fired = events.findIndex((event) => event.timerFiredEventAttributes);
  return events.slice(fired + 1).flatMap((event) => {
    if (event.workflowTaskCompletedEventAttributes) return ['task'];
    const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled) return [`activity ${scheduled}`];
    const local = localActivityOf(event);
    return local ? [`local ${local.type}`] : [];
  });
}

/**
 * How many attempts each activity of a workflow's runs took, by activity type: ActivityTaskStarted.attempt, or a local
 * activity's marker's attempt.
 */
export function activityAttemptsOf(histories: temporal.api.history.v1.IHistory[]): Record<string, number[]> {
  const attempts: Record<string, number[]> = {};
  for (const history of histories) {
    const scheduled = new Map<string, string>();
    for (const event of history.events ?? []) {
      const s = event.activityTaskScheduledEventAttributes;
      if (s) scheduled.set(String(event.eventId), s.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (started) (attempts[scheduled.get(String(started.scheduledEventId)) ?? '?'] ??= []).push(started.attempt ?? 1);
      const local = localActivityOf(event);
      if (local) (attempts[local.type] ??= []).push(local.attempt);
    }
  }
  return attempts;
}

/**
 * Whether every records timer of a run (records-after-answer, known by its summary) has fired and the workflow task
 * it woke has completed, with the records' local activity in it: the changes answered so far are written.
 */
export function recordsTimersDone(events: HistoryEvent[]): boolean {
  const started = new Set<string>();
  let lastFired = -1;
  events.forEach((event, index) => {
    const summary = event.userMetadata?.summary;
    if (event.timerStartedEventAttributes && summary && defaultPayloadConverter.fromPayload(summary) === RECORDS_TIMER_SUMMARY) started.add(String(event.eventId));
    const fired = event.timerFiredEventAttributes;
    if (fired && started.delete(String(fired.startedEventId))) lastFired = index;
  });
  return started.size === 0 && (lastFired < 0 || events.slice(lastFired).some((event) => event.workflowTaskCompletedEventAttributes));
}
