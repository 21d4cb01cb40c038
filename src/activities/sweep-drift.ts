// The renewal sweep's two judgments, as pure functions: does a running team workflow agree with the ledger, and
// what state does a workflow started again from the ledger carry.
import { afterFailedAttempt, dayOfMonth, type Day } from '../domain';
import type { PaymentMethodRef, TeamState, TeamSubscriptionInput, TeamSubscriptionView } from '../workflows/team-subscription-messages';
import { stateFromLedger } from '../workflows/team/state';
import type { LedgerSubscription } from './sweep-ledger';

export type DriftKind = 'plan' | 'interval' | 'period' | 'status' | 'renewal_overdue' | 'workflow_missing';

/**
 * Where the workflow's state (its `state` query, on its own calendar day) disagrees with the ledger. On the day a
 * period ends either side of the renewal is right; after it, the workflow must have moved on (renewed, or dropped
 * to Free when canceled or after dunning) and the ledger must have the renewal's invoice if it renewed.
 */
export function driftOf(ledger: LedgerSubscription, view: TeamSubscriptionView): DriftKind[] {
  const day = view.today;
  if (day < ledger.period.start || day === ledger.period.end) return [];
  if (day > ledger.period.end) {
    if (view.period?.start === ledger.period.start) return ['renewal_overdue'];
    return view.period && view.period.start >= ledger.period.end ? ['period'] : [];
  }
  const drift: DriftKind[] = [];
  if (view.plan !== ledger.plan) drift.push('plan');
  if (view.interval !== ledger.interval) drift.push('interval');
  if (view.period?.start !== ledger.period.start || view.period?.end !== ledger.period.end) drift.push('period');
  const open = new Set(ledger.openInvoices.map((invoice) => invoice.invoiceId));
  const expected = open.size > 0 ? 'past_due' : 'active';
  if (view.status !== expected || (view.dunning && !open.has(view.dunning.invoiceId))) drift.push('status');
  return drift;
}

/** Whether the ledger has the team on a paid plan on `today`: then it must have a running workflow. */
export function paidOn(ledger: LedgerSubscription, today: Day): boolean {
  return ledger.period.start <= today && today <= ledger.period.end;
}

/** What the team's last run left behind, when its history can still be read. */
export interface PreviousRun {
  input?: TeamSubscriptionInput;
  /** The last payment method the run accepted (start input, or a `setPaymentMethod` update). */
  paymentMethod?: PaymentMethodRef;
  /** Its `state` query, answered by replaying the closed run. */
  view?: TeamSubscriptionView;
}

/**
 * The input of a team workflow started again from the ledger: plan, interval, period and dunning as the ledger has
 * them; members, the card and the trial flag from the last run when it can be read. Member changes not billed yet
 * lived only in the lost run's state and are not recovered. Null without a payment method: a paid plan cannot renew.
 */
export function restartInput(ledger: LedgerSubscription, today: Day, previous: PreviousRun): TeamSubscriptionInput | null {
  const paymentMethod = previous.paymentMethod ?? previous.input?.carried?.paymentMethod ?? previous.input?.paymentMethod;
  if (!paymentMethod) return null;
  const { plan, interval, period } = ledger;
  const view = previous.view;
  const members = view?.members ?? ledger.members;
  const input: TeamSubscriptionInput = {
    teamId: ledger.teamId, team: ledger.team, members, paymentMethod,
    ...(previous.input?.clockOffsetMs ? { clockOffsetMs: previous.input.clockOffsetMs } : {}),
  };
  // A clamped period (Jan 31 → Feb 28) keeps its anchor on the later of the two days.
  const anchorDay = view?.anchorDay ?? Math.max(dayOfMonth(period.start), dayOfMonth(period.end));
  const unpaid = ledger.openInvoices[0];
  const dunning = unpaid ? restartDunning(unpaid, view) : null;
  const pendingChange = view?.pendingChange && view.pendingChange.effectiveOn >= today ? view.pendingChange : null;
  const hadTrial = view?.hadTrial ?? previous.input?.carried?.hadTrial ?? ledger.reason === 'trial_end';
  const carried = stateFromLedger(input, { plan, interval, period, anchorDay, members, paymentMethod, dunning, pendingChange, hadTrial }, today);
  return { ...input, carried };
}

function restartDunning(unpaid: LedgerSubscription['openInvoices'][number], view: TeamSubscriptionView | undefined): TeamState['dunning'] {
  const known = view?.dunning?.invoiceId === unpaid.invoiceId ? view.dunning : null;
  const firstFailure = known?.firstFailure ?? unpaid.issuedOn;
  const failedRetries = known?.failedRetries ?? 0;
  const next = afterFailedAttempt(firstFailure, failedRetries);
  return { invoiceId: unpaid.invoiceId, invoiceKey: unpaid.key, total: unpaid.total, firstFailure, failedRetries, nextTryOn: known?.nextTryOn ?? next.on };
}
