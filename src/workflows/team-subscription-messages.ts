// What the outside world may say to, and ask of, a team's subscription workflow. Updates for requests whose
// caller needs an answer (each has a validator, so a refused request leaves no trace in history), a signal for
// facts that arrive on their own, queries for reads. Types only, plus the message definitions: the API and the
// simulation runner import this file without pulling in workflow code.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PaymentMethodRef } from '../activities';
import type { Cents, Day, HeldCoupon, HeldPrice, Interval, InvoiceLine, InvoiceReason, MemberChange, PaidPlan, PendingChange, Period, PeriodDiscount, Plan, PriceChangeNotice } from '../domain';
import type { OrderedSeats, SeatOrder } from './team/seat-state';
import type { TeamState } from './team/state';

export type { PaymentMethodRef } from '../activities';
export type { TeamState } from './team/state';
export type { OrderedSeats, OrderInvoice, SeatOrder } from './team/seat-state';

/** One workflow per team, for as long as the team exists. */
export function teamWorkflowId(teamId: string): string {
  return `team:${teamId}`;
}

/** The Temporal UI's one-line summary of the workflow (start option `staticSummary`). */
export function teamWorkflowSummary(teamId: string): string {
  return `Subscription lifecycle of team ${teamId}`;
}

export interface TeamSubscriptionInput {
  teamId: string;
  /** Written to the ledger's team record when the workflow first starts. */
  team: { name: string; billingCountry: string; organizationId?: string };
  /** Members when the team is created. */
  members: number;
  /** A card, if the team has one when it is created. */
  paymentMethod?: PaymentMethodRef;
  /**
   * Added to workflow time to get the business calendar's "now" (ms). 0 in production; a simulation starts the
   * workflow with `epochMs(scenario.start) − serverNow` so that the workflow's "today" is the scenario's start.
   */
  clockOffsetMs?: number;
  /** The state carried over by continue-as-new; absent on the first run. */
  carried?: TeamState;
}

export interface PlanSelection {
  plan: PaidPlan;
  interval: Interval;
}

/** `plan` and/or `interval`; plan `free` cancels. */
export interface PlanChangeRequest {
  plan?: Plan;
  interval?: Interval;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'free';

/** An invoice as written to the ledger, and how it was paid (status `open` while a declined charge is retried). */
export interface ChargedInvoice {
  invoiceId: string;
  key: string;
  on: Day;
  reason: InvoiceReason;
  lines: InvoiceLine[];
  /** Its gapless number (`INV-2026-000123`) and one tax line (section 13): total = net + tax. Absent only in
   * results of activities that ran before invoices were numbered (a replayed history). */
  number?: string;
  net?: Cents;
  tax?: Cents;
  total: Cents;
  balanceApplied: Cents;
  creditsApplied: Cents;
  charged: Cents;
  status: 'open' | 'paid' | 'failed' | 'void';
}

export interface TrialStarted {
  plan: PaidPlan;
  interval: Interval;
  trialEnd: Day;
}

export type PlanChangeResult =
  /** During a trial the trial's plan is switched; nothing is charged until trial end. */
  | { timing: 'trial'; plan: PaidPlan; interval: Interval; trialEnd: Day }
  /** Applied now: a new period (new anchor) charged by `invoice`; any pending change is cleared. */
  | { timing: 'immediate'; invoice: ChargedInvoice; period: Period; pendingChange: null }
  /** Nothing now; `pendingChange` takes effect on its `effectiveOn` day, until then it can be replaced or withdrawn. */
  | { timing: 'deferred'; pendingChange: PendingChange }
  /** Tier up now (charged by `invoice`), and the interval switch at the new term's end. */
  | { timing: 'split'; invoice: ChargedInvoice; period: Period; pendingChange: PendingChange };

export interface MemberCount {
  members: number;
  /** On Free with more members than Free allows. */
  restricted: boolean;
}

/** What the `state` query answers: everything an API or a simulation report needs. */
export interface TeamSubscriptionView {
  teamId: string;
  /** The business calendar's day (workflow time + clock offset). */
  today: Day;
  plan: Plan;
  interval: Interval;
  status: SubscriptionStatus;
  members: number;
  /** Seats of the running seat order; null on the subscription system. */
  seats: number | null;
  seatOrder: SeatOrder | null;
  /** A seat order bought that has not started: it waits for its start day or its payment. */
  orderedSeats: OrderedSeats | null;
  restricted: boolean;
  /** The paid period (monthly) or term (annual); null on Free and during a trial. */
  period: Period | null;
  /** When the current period, or the trial, ends. */
  periodEnd: Day | null;
  anchorDay: number | null;
  trial: { start: Day; end: Day } | null;
  hadTrial: boolean;
  pendingChange: PendingChange | null;
  dunning: { invoiceId: string; firstFailure: Day; failedRetries: number; nextTryOn: Day } | null;
  /**
   * Member changes not billed yet (monthly: this period's; annual: since the last review). An immediate plan change
   * bills them, prorated to the old period's end, so a quote of one needs them.
   */
  unbilledMemberChanges: MemberChange[];
  /** The last failure the payment provider reported (`paymentFailed` signal); null when none was reported. */
  lastPaymentFailure: PaymentFailure | null;
  hasPaymentMethod: boolean;
  /** The next day something is scheduled (trial end, renewal, review, retry, reminder). */
  nextEventOn: Day | null;
  /** Section 14: the coupon the team holds, and a published price that reaches it at a renewal; absent when none. */
  coupon?: HeldCoupon;
  priceChange?: PriceChangeNotice;
  /**
   * Section 14: the price version the team took (subscribing, trialing or changing plan or interval) and pays for
   * this period or trial; absent: the code catalog's. A plan change credits the unused time at it.
   */
  price?: HeldPrice;
  /** Section 14: the percent off of the invoice that billed the current period, which its removals' refunds are reduced by. */
  periodDiscount?: PeriodDiscount;
  /** A request or a scheduled event is being processed right now. */
  busy: boolean;
}

/**
 * The view the workflow publishes to the ledger's read model after each change: everything but what depends on the
 * moment of reading (`today`, `restricted`) or only exists inside the workflow (`busy`). The API adds those back.
 */
export type PublishedSubscriptionView = Omit<TeamSubscriptionView, 'today' | 'restricted' | 'busy'>;

/** One publication of the read model's row (migration 011): `version` grows with every one, so an older never overwrites. */
export interface SubscriptionViewPublication {
  version: number;
  /** The team's business clock, for reading the view's day. */
  clockOffsetMs: number;
  view: PublishedSubscriptionView;
}

/**
 * What a team update's answer may carry besides its result (patch records-after-answer): the view its change
 * published, which the caller writes to the read model before it answers in turn, so it reads its own write
 * while the workflow's records timer writes the change's records a moment later. The API strips it from its answer.
 */
export interface AnswerPublication {
  published?: SubscriptionViewPublication & { at: string };
}

/** The answer of a team update that runs as a request (TeamLifecycle.request): its result, and the view it published. */
export type Answered<T> = T & AnswerPublication;

/** The next charge, computed by the same domain functions that will make it. */
export interface UpcomingInvoice {
  on: Day;
  reason: InvoiceReason;
  lines: InvoiceLine[];
  total: Cents;
  /** Removed members' refunds that go to the team balance that day, before the invoice is paid. */
  refundsToBalance: InvoiceLine[];
}

/**
 * The price in force on `on` for `plan` and `interval`, read from the ledger's catalog by the caller of the
 * upcoming-invoice query (the API's pendingChangePriceInForce): what the renewal or order end that applies the team's
 * pending change on `on` will charge (section 14). The workflow uses it only when it names that change and day.
 */
export interface PendingChangePrice extends HeldPrice {
  plan: PaidPlan;
  interval: Interval;
  on: Day;
}

/** Section 7: `seats` of a plan for one year, charged to the card, or invoice first (payable within `dueDays`, 30 by default). */
export interface SeatOrderRequest {
  plan: PaidPlan;
  seats: number;
  invoiceFirst?: boolean;
  dueDays?: number;
  /** Invoice first: the buyer's purchase-order reference, printed on the invoice (1 to 100 characters). */
  purchaseOrder?: string;
}

export type SeatOrderResult =
  /** Charged to the card; the order runs from today. */
  | { status: 'active'; order: SeatOrder; invoice: ChargedInvoice }
  /** Invoice first: the order starts when `invoice` is paid, or never if it is unpaid past its due day. */
  | { status: 'awaiting_payment'; ordered: OrderedSeats; invoice: ChargedInvoice }
  /** Starts when the current period or order ends; charged to the card then, unless invoice first. */
  | { status: 'scheduled'; ordered: OrderedSeats; invoice: ChargedInvoice | null };

export interface SeatsAdded {
  seats: number;
  invoice: ChargedInvoice;
}

/** A bank transfer or card payment received for an invoice-first order; `reference` is the payment's own ID. */
export interface InvoicePayment {
  invoiceId: string;
  method: 'bank_transfer' | 'card';
  reference: string;
}

export type InvoicePaymentResult = { status: 'active'; order: SeatOrder } | { status: 'scheduled'; ordered: OrderedSeats };

/** Section 10: `{}` for the most recent payment; naming another one is refused. */
/** Which payment to refund: by its payment or its invoice; the most recent one when neither is given. */
export interface RefundRequest {
  paymentId?: string;
  invoiceId?: string;
}

/**
 * The invoice's payment went back the way it came: `amount` to the card, `balanceReturned` to the team balance,
 * `creditsReturned` to the grants it came from. A refund of the current period (or order) ends it today: Free.
 */
export interface RefundResult {
  refundId: string;
  /** The card payment refunded; null when the balance and credits paid it all. */
  paymentId: string | null;
  amount: Cents;
  balanceReturned: Cents;
  creditsReturned: Cents;
  /** The day the refunded period ended; null when the team had no paid period left (already on Free). */
  periodEndedOn: Day | null;
  /** On Free with more members than Free allows. */
  restricted: boolean;
}

/** The paid invoice to void; the API checked first that it is the team's, paid and not fully credited. */
export interface VoidPaidInvoiceRequest {
  invoiceId: string;
}

/** What was left of the invoice went back as a refund's would (card, balance, credits); it is `void` now. */
export type VoidPaidInvoiceResult = RefundResult & { invoiceId: string };

export const startTrialUpdate = defineUpdate<Answered<TrialStarted>, [PlanSelection]>('startTrial');
export const subscribeUpdate = defineUpdate<Answered<ChargedInvoice>, [PlanSelection]>('subscribe');
export const changePlanUpdate = defineUpdate<Answered<PlanChangeResult>, [PlanChangeRequest]>('changePlan');
export const withdrawPendingChangeUpdate = defineUpdate<Answered<PendingChange>, []>('withdrawPendingChange');
export const cancelUpdate = defineUpdate<Answered<PendingChange>, []>('cancel');
export const addMembersUpdate = defineUpdate<Answered<MemberCount>, [{ count: number }]>('addMembers');
export const removeMembersUpdate = defineUpdate<Answered<MemberCount>, [{ count: number }]>('removeMembers');
export const setPaymentMethodUpdate = defineUpdate<{ hasPaymentMethod: true }, [PaymentMethodRef]>('setPaymentMethod');
/** Forgets the card on file; refused (`payment_method_in_use`) while anything is still to be charged to it. */
export const removePaymentMethodUpdate = defineUpdate<Answered<{ hasPaymentMethod: false }>, []>('removePaymentMethod');
export const buySeatsUpdate = defineUpdate<Answered<SeatOrderResult>, [SeatOrderRequest]>('buySeats');
export const addSeatsUpdate = defineUpdate<Answered<SeatsAdded>, [{ count: number }]>('addSeats');
export const recordInvoicePaymentUpdate = defineUpdate<Answered<InvoicePaymentResult>, [InvoicePayment]>('recordInvoicePayment');
export const requestRefundUpdate = defineUpdate<Answered<RefundResult>, [RefundRequest]>('requestRefund');
/** Section 13: the platform voids a paid invoice issued in error (its credit note, the money back the way it came). */
export const voidPaidInvoiceUpdate = defineUpdate<Answered<VoidPaidInvoiceResult>, [VoidPaidInvoiceRequest]>('voidPaidInvoice');

/** A payment made outside the workflow's own collection (a webhook, a bank transfer) settled `invoiceId`. */
/**
 * A payment made outside the workflow's own collection settled `invoiceId`. `payment` is the provider's record of it
 * (its id and the cents it took), which the workflow records as the invoice's payment; absent in signals sent before
 * payments were recorded, which only ended dunning.
 */
export interface PaymentConfirmed {
  invoiceId: string;
  payment?: { provider: 'stripe'; providerPaymentId: string; amount: Cents };
}

export const paymentConfirmedSignal = defineSignal<[PaymentConfirmed]>('paymentConfirmed');

/** A payment the provider reports as failed (a webhook); `invoiceId` when the payment named one. */
export interface PaymentFailure {
  paymentId: string;
  invoiceId: string | null;
  /** The business day the workflow received the report. */
  on: Day;
}

/**
 * The payment provider reports that a payment failed. Informational only: the workflow made the charge and already
 * learned of the decline from it (dunning), so the handler just records the report for the `state` query.
 */
export const paymentFailedSignal = defineSignal<[{ paymentId: string; invoiceId?: string }]>('paymentFailed');

export const stateQuery = defineQuery<TeamSubscriptionView>('state');
/** The next scheduled charge; a pending change's period at `pendingChangePrice` when it is that change's (else the catalog's). */
export const upcomingInvoiceQuery = defineQuery<UpcomingInvoice | null, [pendingChangePrice?: PendingChangePrice | null]>('upcomingInvoice');
