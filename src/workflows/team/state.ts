// A team's subscription as plain JSON: it is carried across continue-as-new as is, so no Map, no Date.
import type { PatchId } from '../patches';
import type { PaymentMethodRef } from '../../activities';
import {
  isRestricted,
  memberReviewDays,
  renewalReminderDay,
  type Cents,
  type HeldCoupon,
  type HeldPrice,
  type PriceChangeNotice,
  type Day,
  type Instant,
  type Interval,
  type MemberChange,
  type PaidPlan,
  type PendingChange,
  type Period,
  type PeriodDiscount,
  type Plan,
} from '../../domain';
import type { PaymentFailure, SubscriptionStatus, TeamSubscriptionInput } from '../team-subscription-messages';
import type { OrderedSeats, SeatOrder } from './seat-state';

export interface Dunning {
  invoiceId: string;
  invoiceKey: string;
  total: Cents;
  /** Retries are scheduled from it: +1, +3, +5, +7 days. */
  firstFailure: Day;
  failedRetries: number;
  nextTryOn: Day;
  /** The period the invoice started (absent in older carried states and for member reviews). */
  periodStart?: Day;
}

/** An open invoice to collect or record a payment on: its business key names the payment; `periodStart` the period it starts. */
export interface InvoiceToSettle {
  invoiceId: string;
  key: string;
  periodStart?: Day;
}

/** The invoice dunning retries. */
export function invoiceInDunning({ invoiceId, invoiceKey, periodStart }: Dunning): InvoiceToSettle {
  return { invoiceId, key: invoiceKey, ...(periodStart ? { periodStart } : {}) };
}

/** A paid invoice: what a refund (section 10) gives back, and when its window opened. */
export interface LastPayment {
  /** The card's payment; null when the balance and credits paid it all. */
  paymentId: string | null;
  /** Absent in payments carried from before refunds gave back the balance and credits too (card only then). */
  invoiceId?: string;
  /** The business key of the invoice it paid: the refund's key is made from it. */
  invoiceKey: string;
  /** What the card paid. */
  amount: Cents;
  /** What the invoice came to (balance + credits + card); absent in older carried states. */
  total?: Cents;
  /** The period (or seat order) the invoice started, which its refund ends; absent for other invoices. */
  periodStart?: Day;
  paidAt: Instant;
}

/** The fingerprints of what a team's runs last published (JSON of the search attributes' values; FNV-1a of the view). */
export interface PublishedRecord {
  attributes?: string;
  view?: string;
}

export interface TeamState {
  teamId: string;
  /** The plan whose features the team has now (the trial's plan while trialing). */
  plan: Plan;
  interval: Interval;
  status: SubscriptionStatus;
  members: number;
  paymentMethod: PaymentMethodRef | null;
  /** One trial per team, ever. */
  hadTrial: boolean;
  trial: { start: Day; end: Day } | null;
  /** The paid period (monthly) or term (annual); null on Free and during a trial. */
  period: Period | null;
  /** Day of month the paid periods end on (clamped); set at each new anchor. */
  anchorDay: number | null;
  /** A deferred change (tier down, annual → monthly, cancel), replaceable or withdrawable until it takes effect. */
  pendingChange: PendingChange | null;
  /** Member changes not billed yet: monthly, those of this period; annual, those since the last monthly review. */
  memberChanges: MemberChange[];
  /** Annual terms: the next monthly review of member changes. */
  nextReviewOn: Day | null;
  /** Annual terms: when the renewal reminder goes out; null once sent. */
  reminderOn: Day | null;
  /** Trials: when the trial-ending notice goes out; null once due (absent in trials started before the notice). */
  trialNoticeOn?: Day | null;
  /** A declined charge being retried. */
  dunning: Dunning | null;
  /** The most recent payment by the payment method, refundable within its window (absent in older carried states). */
  lastPayment?: LastPayment | null;
  /** Paid invoices still inside the longest refund window (14 days), newest last; absent in older carried states. */
  recentPayments?: LastPayment[];
  /** The last number of the team's business events, in their keys (absent before the sequence). */
  eventSequence?: number;
  /** The patches this team's runs take, decided at a run's start (run-patches.ts); absent in runs from before. */
  patches?: PatchId[];
  /** The last payment failure the provider reported by webhook (absent in states carried from before the signal). */
  lastPaymentFailure?: PaymentFailure | null;
  /** The last audit row's sequence number (absent in states carried from before the audit trail). */
  auditSequence?: number;
  /** The last version of the read model's view this team published (absent before the read model). */
  viewVersion?: number;
  /**
   * What the runs last published, carried so the next run does not publish it again at its start (patch
   * carry-published, change-records.ts): the search attributes' values and the read model view's fingerprint.
   */
  published?: PublishedRecord;
  /** Seat system: the running order (absent in states carried from before seat orders). */
  seatOrder?: SeatOrder | null;
  /** Seat system: an order bought that has not started yet. */
  orderedSeats?: OrderedSeats | null;
  /** Seat system: the last card charge declined (its invoice voided), so a retry is a new attempt with its own key. */
  declinedSeatCharge?: { key: string; attempts: number } | null;
  /** The coupon the team holds (section 14); absent before coupons. */
  coupon?: HeldCoupon | null;
  /**
   * The percent off the invoice that opened the current period carried (section 14), set when it is charged: the
   * period's removed members' refunds are reduced by it. Absent in states carried from before: see periodDiscountOf.
   */
  periodDiscount?: PeriodDiscount | null;
  /** The price version the team pays (section 14); absent or null: the catalog's version 1. */
  price?: HeldPrice | null;
  /** A published price that reaches the team at a renewal (its notice sent); absent before price versions. */
  priceChange?: PriceChangeNotice | null;
  /** The published view shows the coupon and the scheduled price change (patch pricing-view). */
  pricingView?: boolean;
}

export function newTeamState(input: TeamSubscriptionInput): TeamState {
  return {
    teamId: input.teamId,
    plan: 'free',
    interval: 'month',
    status: 'free',
    members: input.members,
    paymentMethod: input.paymentMethod ?? null,
    hadTrial: false,
    trial: null,
    period: null,
    anchorDay: null,
    pendingChange: null,
    memberChanges: [],
    nextReviewOn: null,
    reminderOn: null,
    dunning: null,
  };
}

export function restricted(state: TeamState, today: Day): boolean {
  return isRestricted(state.plan, state.members, today);
}

/** A new paid period (or term) and its anchor; annual terms get their monthly reviews and reminder scheduled. */
export function startPeriod(state: TeamState, period: Period, anchorDay: number): void {
  state.period = period;
  state.anchorDay = anchorDay;
  state.memberChanges = [];
  state.trial = null;
  state.nextReviewOn = state.interval === 'year' ? (memberReviewDays(period, anchorDay)[0] ?? null) : null;
  state.reminderOn = state.interval === 'year' ? renewalReminderDay(period) : null;
}

/** What the ledger knows of a team on a paid plan, with what a lost run's last state adds (members, the card). */
export interface LedgerFacts {
  plan: PaidPlan;
  interval: Interval;
  period: Period;
  anchorDay: number;
  members: number;
  paymentMethod: PaymentMethodRef;
  /** The unpaid invoice's retries, when one is open. */
  dunning: Dunning | null;
  pendingChange: PendingChange | null;
  hadTrial: boolean;
}

/**
 * A team's state as the ledger has it on `today`: the paid period in place by startPeriod's rules, with only the
 * reviews and reminder still ahead of today scheduled, in dunning when an invoice is unpaid. The reconciliation
 * sweep starts a lost run again from it; member changes not billed yet lived in the lost run alone.
 */
export function stateFromLedger(input: TeamSubscriptionInput, facts: LedgerFacts, today: Day): TeamState {
  const { plan, interval, members, paymentMethod, dunning, pendingChange, hadTrial } = facts;
  const state: TeamState = { ...newTeamState(input), plan, interval, members, paymentMethod, dunning, pendingChange, hadTrial };
  state.status = dunning ? 'past_due' : 'active';
  startPeriod(state, facts.period, facts.anchorDay);
  if (state.nextReviewOn !== null) state.nextReviewOn = reviewAfter(state, today); // the first review after today
  if (state.reminderOn !== null && state.reminderOn <= today) state.reminderOn = null; // already past
  return state;
}

/** The monthly review after `reviewed` within the term, or null when the next review is the renewal. */
export function reviewAfter(state: TeamState, reviewed: Day): Day | null {
  if (!state.period || state.anchorDay === null) return null;
  return memberReviewDays(state.period, state.anchorDay).find((day) => day > reviewed) ?? null;
}

/** Back to Free: no period, nothing pending, nothing scheduled. */
export function dropToFree(state: TeamState): void {
  Object.assign(state, {
    plan: 'free',
    status: 'free',
    trial: null,
    period: null,
    anchorDay: null,
    pendingChange: null,
    memberChanges: [],
    nextReviewOn: null,
    reminderOn: null,
    dunning: null,
    periodDiscount: null,
  } satisfies Partial<TeamState>);
}
