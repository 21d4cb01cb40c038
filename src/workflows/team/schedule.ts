// What the engine has scheduled for a team, read from its state: each event's day is a field of the state, and
// running the event moves that field on, so an event that ran is no longer due.
import { addDays, type Day } from '../../domain';
import { isReadyToStart, orderedSeatsOf, seatOrderOf } from './seat-state';
import type { TeamState } from './state';

export type ScheduledEventKind =
  | 'payment_retry'
  | 'trial_end'
  | 'trial_ending'
  | 'member_review'
  | 'renewal_reminder'
  | 'renewal'
  | 'expiry_notice'
  | 'seat_order_end'
  | 'seat_order_start'
  | 'seat_invoice_void';

export interface ScheduledEvent {
  kind: ScheduledEventKind;
  on: Day;
}

/** Every scheduled event, in the order events of one day run: a retry settles the old invoice before new ones. */
export function scheduledEvents(state: TeamState): ScheduledEvent[] {
  const events: ScheduledEvent[] = [];
  if (state.dunning) events.push({ kind: 'payment_retry', on: state.dunning.nextTryOn });
  if (state.trial) events.push({ kind: 'trial_end', on: state.trial.end });
  if (state.trial && state.trialNoticeOn) events.push({ kind: 'trial_ending', on: state.trialNoticeOn });
  if (state.nextReviewOn) events.push({ kind: 'member_review', on: state.nextReviewOn });
  if (state.reminderOn) events.push({ kind: 'renewal_reminder', on: state.reminderOn });
  if (state.period) events.push({ kind: 'renewal', on: state.period.end });
  return [...events, ...seatEvents(state)];
}

/** The seat system's events; an order ends (or a subscription renews, above) before the order after it starts. */
function seatEvents(state: TeamState): ScheduledEvent[] {
  const events: ScheduledEvent[] = [];
  const order = seatOrderOf(state);
  const ordered = orderedSeatsOf(state);
  if (order?.expiryNoticeOn) events.push({ kind: 'expiry_notice', on: order.expiryNoticeOn });
  if (order) events.push({ kind: 'seat_order_end', on: order.period.end });
  if (ordered && isReadyToStart(ordered)) events.push({ kind: 'seat_order_start', on: ordered.startsOn });
  // Payable through its due day: void from the next day on (isPastDue: today > dueOn).
  if (ordered?.invoice && !ordered.invoice.paid) events.push({ kind: 'seat_invoice_void', on: addDays(ordered.invoice.dueOn, 1) });
  return events;
}

/** The earliest event due on or before `today`; of one day's events, the first in the order above. */
export function dueEvent(state: TeamState, today: Day): ScheduledEvent | null {
  let due: ScheduledEvent | null = null;
  for (const event of scheduledEvents(state)) {
    if (event.on <= today && (due === null || event.on < due.on)) due = event;
  }
  return due;
}

export function nextEventOn(state: TeamState): Day | null {
  let next: Day | null = null;
  for (const event of scheduledEvents(state)) if (next === null || event.on < next) next = event.on;
  return next;
}
