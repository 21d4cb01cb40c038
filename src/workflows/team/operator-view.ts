// What operators see in the Temporal UI: search attributes to filter teams by (no personal data: they are not
// encrypted), and the workflow's current details, a short text that reads well on its page.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { epochMs, formatUsd, intervalText, PLAN_NAMES, type Day } from '../../domain';
import { BillingInterval, PeriodEnd, Plan, SubscriptionStatus, TeamId } from '../search-attributes';
import { carriedRecord } from './change-records';
import { nextEventOn } from './schedule';
import { seatOrderOf } from './seat-state';
import { restricted, type TeamState } from './state';

export class OperatorView {
  /** The values last upserted: by this run, or carried from the run before (the server carries the attributes over). */
  private published: string | undefined;

  /** Upserts the search attributes when they changed (each upsert is a history event), and the details always. */
  publish(state: TeamState, today: Day): void {
    const carried = carriedRecord(state);
    this.published ??= carried?.attributes ?? ''; // '': nothing upserted yet (a run from before upserts at its start)
    const periodEnd = state.period?.end ?? state.trial?.end ?? seatOrderOf(state)?.period.end ?? null;
    const attributes: SearchAttributeUpdatePair[] = [
      { key: TeamId, value: state.teamId },
      { key: Plan, value: state.plan },
      { key: BillingInterval, value: state.interval },
      { key: SubscriptionStatus, value: state.status },
      { key: PeriodEnd, value: periodEnd === null ? null : new Date(epochMs(periodEnd)) },
    ];
    const fingerprint = JSON.stringify(attributes.map((pair) => pair.value));
    if (fingerprint !== this.published) {
      // Skip clearing PeriodEnd on the first upsert of a run: it is not set, and clearing nothing is an error on some servers.
      upsertSearchAttributes(this.published === '' ? attributes.filter((pair) => pair.value !== null) : attributes);
      this.published = fingerprint;
      if (carried) carried.attributes = fingerprint;
    }
    setCurrentDetails(describe(state, today));
  }
}

/** e.g. "**Basic, monthly** · active · 11 members · period May 20 → Jun 20 · next event 2026-06-20". */
export function describe(state: TeamState, today: Day): string {
  const parts = [
    `**${PLAN_NAMES[state.plan]}${state.plan === 'free' ? '' : `, ${intervalText(state.interval)}`}**`,
    state.status,
    `${state.members} member${state.members === 1 ? '' : 's'}${restricted(state, today) ? ' (restricted)' : ''}`,
  ];
  if (state.trial) parts.push(`trial ${state.trial.start} → ${state.trial.end}`);
  if (state.period) parts.push(`period ${state.period.start} → ${state.period.end}`);
  const order = seatOrderOf(state);
  if (order) parts.push(`${order.seats} seats ${order.period.start} → ${order.period.end}`);
  if (state.pendingChange) {
    const { plan, interval, effectiveOn } = state.pendingChange;
    parts.push(`pending: ${PLAN_NAMES[plan]}${plan === 'free' ? '' : `, ${intervalText(interval)}`} on ${effectiveOn}`);
  }
  if (state.dunning) {
    parts.push(`past due ${formatUsd(state.dunning.total)} since ${state.dunning.firstFailure}, next try ${state.dunning.nextTryOn}`);
  }
  const next = nextEventOn(state);
  if (next) parts.push(`next event ${next}`);
  return parts.join(' · ');
}
