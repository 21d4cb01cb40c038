// A team's subscription lifecycle: the requests it accepts and the events it has scheduled, one at a time.
// Amounts come from ./charges (the domain's functions); money moves only through ./ledger (activities).
import { ActivityFailure, ApplicationFailure, condition, patched, workflowInfo } from '@temporalio/workflow';
import {
  afterFailedAttempt,
  buildInvoice,
  planChange,
  subscribeInvoice,
  trialEnd,
  trialEndingNoticeDay,
  type Day,
  type Invoice,
  type PaidPlan,
  type PendingChange,
  type Period,
  type PriceVersion,
} from '../../domain';
import type {
  ChargedInvoice,
  InvoicePayment,
  InvoicePaymentResult,
  MemberCount,
  PaymentMethodRef,
  PlanChangeRequest,
  PlanChangeResult,
  PaymentConfirmed,
  PlanSelection,
  RefundRequest,
  RefundResult,
  SeatOrderRequest,
  SeatOrderResult,
  SeatsAdded,
  PublishedSubscriptionView,
  TeamSubscriptionView,
  TrialStarted,
  UpcomingInvoice,
} from '../team-subscription-messages';
import { COUPONS, KEEP_TIMER, PRICE_VERSIONS, PRICING_VIEW, RECORD_CONFIRMED_PAYMENT, SERIALIZED_REQUESTS, TRIAL_ENDING_NOTICE, UNDO_REFUSED_CHARGE } from '../patches';
import { cancellationCharge, memberReviewCharge, paidSubscription, renewalCharge, trialEndCharge, unbilledMemberLines, upcomingInvoice } from './charges';
import { AuditTrail } from './audit';
import { checkRedeemCode, previewWithDiscount, redeemCode, withDiscount } from './discounts';
import { learnPublishedPrice, takePrice } from './price-changes';
import type { CouponRedeemed, RedeemCodeRequest } from '../team-pricing-messages';
import { ChangeRecords } from './change-records';
import type { BusinessClock } from './clock';
import { CollectionRefused, TeamLedger } from './ledger';
import { NextEventTimer } from './next-event-timer';
import { OperatorView } from './operator-view';
import { checkRefund, forgetPayment, refundEnds, rememberPayment } from './refunds';
import * as requests from './requests';
import { dueEvent, nextEventOn, type ScheduledEvent } from './schedule';
import { SeatOrders, type FreeReason } from './seat-orders';
import * as seatRequests from './seat-requests';
import { orderedSeatsOf, seatOrderOf, seatsStartOn } from './seat-state';
import { dropToFree, restricted, reviewAfter, startPeriod, type TeamState } from './state';

export class TeamSubscription {
  private readonly ledger: TeamLedger;
  private readonly operatorView = new OperatorView();
  private readonly seats: SeatOrders;
  private readonly audit: AuditTrail;
  private readonly records: ChangeRecords;
  private readonly nextEventTimer: NextEventTimer;
  /** One request or scheduled event at a time: each reads the state, awaits activities, then writes the state. */
  private busy = false;
  /** Bumped by every request, so the waiting main loop re-reads the schedule. */
  private changes = 0;
  /** A new period (and anchor) started in this run: time to continue-as-new. */
  private newPeriodStarted = false;
  /** open() has run (the team's ledger record, the events due at the start of the run). */
  private opened = false;
  /** A scheduled event is running (not a request): a refused charge goes to dunning instead of failing it. */
  private inScheduledEvent = false;

  constructor(
    private readonly state: TeamState,
    private readonly clock: BusinessClock,
    /** The ledger team record's country: it sets the refund window (section 10). */
    private readonly billingCountry: string,
  ) {
    this.ledger = new TeamLedger(
      state.teamId,
      clock,
      (payment) => rememberPayment(this.state, payment),
      () => (this.state.eventSequence = (this.state.eventSequence ?? 0) + 1),
    );
    this.audit = new AuditTrail(state, this.ledger);
    this.records = new ChangeRecords(state, this.ledger, this.audit);
    this.nextEventTimer = new NextEventTimer(clock);
    this.seats = new SeatOrders(state, this.ledger, {
      newPeriodStarted: () => {
        this.newPeriodStarted = true;
      },
      downgradeToFree: (on, reason) => this.downgradeToFree(on, reason),
      startSubscription: (selection, today) => this.startSubscription(selection, today),
    });
  }

  /** The state to carry into the next run. */
  snapshot(): TeamState {
    return this.state;
  }

  // ---- the run ---------------------------------------------------------------------------------------------

  /** First run only: the team's ledger record. Requests wait for it. */
  async open(team?: { name: string; billingCountry: string; organizationId?: string }): Promise<void> {
    await this.exclusive(async () => {
      if (team) await this.ledger.ensureTeam(team);
      await this.runDueEvents();
      this.opened = true;
    }, true);
  }

  /** Runs scheduled events as they fall due, until a new period starts or the server suggests continue-as-new. */
  async runUntilNewPeriod(): Promise<void> {
    for (;;) {
      await this.exclusive(() => this.runDueEvents());
      if (this.newPeriodStarted || workflowInfo().continueAsNewSuggested) return;
      const seen = this.changes;
      const next = nextEventOn(this.state);
      const woken = () => this.changes !== seen || workflowInfo().continueAsNewSuggested;
      if (patched(KEEP_TIMER)) {
        this.nextEventTimer.arm(next); // the running timer stays when the next event day has not changed
        // A request runs the day's due events itself and publishes what it changed: the loop has work only when the
        // request moved the next event day or started a new period. (Waking for nothing added no commands either.)
        const rescheduled = () => this.changes !== seen && (this.newPeriodStarted || nextEventOn(this.state) !== next);
        await condition(() => rescheduled() || workflowInfo().continueAsNewSuggested || this.nextEventTimer.fired());
      } else if (next === null) await condition(woken);
      else await condition(woken, this.clock.msUntil(next));
    }
  }

  private async exclusive<T>(work: () => Promise<T>, opening = false): Promise<T> {
    if (patched(SERIALIZED_REQUESTS)) {
      // An update delivered with the start runs as soon as its handler is set, before open(): it waits for open().
      // One condition wakes every waiter in the same pass (two updates that waited for the same charge): each checks
      // again after it wakes, and only the first takes its turn.
      const free = () => !this.busy && (opening || this.opened);
      while (!free()) await condition(free);
    } else {
      await condition(() => !this.busy); // before the patch: every waiter woken together ran at once
    }
    this.busy = true;
    try {
      return await work();
    } finally {
      this.changes += 1;
      if (!this.state.pricingView && (this.state.coupon || this.state.priceChange) && patched(PRICING_VIEW)) this.state.pricingView = true;
      this.operatorView.publish(this.state, this.clock.today());
      // Still busy: the records of this change are written before the next request runs, and before this one answers.
      await this.records.write(this.publishedView()).finally(() => {
        this.busy = false;
      });
    }
  }

  /** What is scheduled up to today happens first, in day order, before any request of the day. */
  private async runDueEvents(): Promise<void> {
    for (let event = dueEvent(this.state, this.clock.today()); event; event = dueEvent(this.state, this.clock.today())) {
      this.inScheduledEvent = true;
      await this.audit.around(event.kind, () => event.on, () => this.runEvent(event)).finally(() => {
        this.inScheduledEvent = false;
      });
      if (dueEvent(this.state, this.clock.today())) await this.records.writeAudits(); // in order with the next event's money
    }
  }

  private runEvent({ kind, on }: ScheduledEvent): Promise<void> {
    switch (kind) {
      case 'payment_retry':
        return this.retryPayment(on);
      case 'trial_end':
        return this.endTrial(on);
      case 'trial_ending':
        return this.noticeTrialEnding(on);
      case 'member_review':
        return this.reviewMembers(on);
      case 'renewal_reminder':
        return this.remindRenewal(on);
      case 'renewal':
        return this.renew(on);
      case 'expiry_notice':
        return this.seats.noticeExpiry(on);
      case 'seat_order_end':
        return this.seats.endOrder(on);
      case 'seat_order_start':
        return this.seats.startOrdered(on);
      case 'seat_invoice_void':
        return this.seats.voidUnpaid(on);
    }
  }

  // ---- scheduled events ------------------------------------------------------------------------------------

  /** Trial end (start + 14 days): the first period is charged and anchored today, or Free if canceled. */
  private async endTrial(on: Day): Promise<void> {
    if (this.state.pendingChange?.plan === 'free') return this.downgradeToFree(on, 'canceled'); // nothing charged
    const first = trialEndCharge(this.state);
    await this.charge(this.ledger.invoiceKey(first.invoice), first.invoice, first.period, () => {
      this.state.status = 'active';
      this.beginPeriod(first.period, first.anchorDay);
    });
  }

  /** Trial end − 3 days: the admins and billing managers hear the first period is charged soon; not if canceled. */
  private async noticeTrialEnding(on: Day): Promise<void> {
    const { plan, interval, trial } = this.state;
    this.state.trialNoticeOn = null;
    if (!trial || this.state.pendingChange?.plan === 'free') return; // a canceled trial ends on Free, nothing charged
    await this.ledger.notify('trial_ending', on, `${this.state.teamId}:trial:${trial.end}`, { trialEnd: trial.end, plan, interval });
  }

  /** Period end: the next period (a pending change applies now) plus the closing period's member changes. */
  private async renew(on: Day): Promise<void> {
    if (this.state.pendingChange?.plan === 'free') return this.endCanceledPeriod(on);
    const renewal = renewalCharge(this.state);
    const key = this.ledger.invoiceKey(renewal.invoice);
    // Removed members' refunds go to the balance first, so this very invoice uses them (M2).
    await this.ledger.creditBalance(key, renewal.refundTotal, on);
    const anchorDay = paidSubscription(this.state).anchorDay;
    await this.charge(key, renewal.invoice, renewal.period, () => {
      Object.assign(this.state, { plan: renewal.next.plan, interval: renewal.next.interval, pendingChange: null });
      takePrice(this.state, renewal.price);
      this.beginPeriod(renewal.period, anchorDay);
    });
  }

  /** A canceled subscription ends: Free from today, and its unbilled member changes settled. */
  private async endCanceledPeriod(on: Day): Promise<void> {
    const last = cancellationCharge(this.state, on);
    await this.downgradeToFree(on, 'canceled');
    const key = this.ledger.eventKey('period_end', on);
    await this.ledger.creditBalance(key, last.refundTotal, on);
    if (last.invoice) await this.charge(key, last.invoice);
  }

  /** Annual terms, on each anchor day: adds charged, removals refunded to the balance, over the rest of the term. */
  private async reviewMembers(on: Day): Promise<void> {
    const review = memberReviewCharge(this.state, on);
    this.state.memberChanges = [];
    this.state.nextReviewOn = reviewAfter(this.state, on);
    const key = this.ledger.eventKey('member_review', on);
    await this.ledger.creditBalance(key, review.refundTotal, on);
    if (review.invoice) await this.charge(key, review.invoice);
  }

  /** Annual terms: a notice on term end − 30 days. */
  private async remindRenewal(on: Day): Promise<void> {
    const { plan, interval, period } = paidSubscription(this.state);
    this.state.reminderOn = null;
    await this.ledger.notify('renewal_reminder', on, `${this.state.teamId}:term:${period.end}`, { termEnd: period.end, plan, interval });
  }

  /** Dunning: retries 1, 3, 5 and 7 days after the first failure; after the last one, Free that day. */
  private async retryPayment(on: Day): Promise<void> {
    const dunning = this.state.dunning;
    if (!dunning) return;
    const attempt = dunning.failedRetries + 2; // attempt 1 was the first failure
    const collection = await this.ledger.collect(dunning.invoiceId, attempt, this.paymentMethod(), dunning.invoiceKey, dunning.periodStart);
    if (collection.paid) return this.paymentSettled(); // anchor unchanged
    dunning.failedRetries += 1;
    const next = afterFailedAttempt(dunning.firstFailure, dunning.failedRetries);
    if (next.next === 'retry') dunning.nextTryOn = next.on;
    const code = collection.declined?.code ?? collection.refused?.type ?? null;
    await this.ledger.notify('payment_failed', on, `${dunning.invoiceKey}:attempt:${attempt}`, {
      invoiceId: dunning.invoiceId, total: dunning.total, attempt, code, nextTryOn: next.next === 'retry' ? next.on : null,
    });
    if (next.next === 'retry') return;
    this.state.dunning = null;
    await this.ledger.failInvoice(dunning.invoiceId);
    if (this.state.plan !== 'free') await this.downgradeToFree(on, 'payment_failed');
  }

  private paymentSettled(): void {
    this.state.dunning = null;
    if (this.state.plan !== 'free') this.state.status = 'active';
  }

  private async downgradeToFree(on: Day, reason: FreeReason): Promise<void> {
    dropToFree(this.state);
    this.newPeriodStarted = true;
    if (seatsStartOn(this.state, on)) return; // switched to a seat order that starts today, not to Free
    await this.ledger.notify('downgraded_to_free', on, this.ledger.eventKey('free', on), {
      reason, members: this.state.members, restricted: restricted(this.state, on),
    });
  }

  /**
   * Issues and collects an invoice, then commits the change it pays for (`commit`): state follows money. A decline
   * commits it past due and starts dunning. A collection refused for good (a payment method the provider rejects)
   * undoes a request: the invoice is voided, nothing is committed and the request fails; a scheduled event's
   * charge goes to dunning like a decline, since the period it bills has come whether or not the card works.
   */
  private async charge(key: string, invoice: Invoice, period?: Period, commit: () => void = () => undefined, undo?: () => Promise<void>): Promise<ChargedInvoice> {
    // Runs from before serialized-requests ran requests side by side, each seeing the others' changes at once: they
    // commit first, as they did, so their histories replay.
    const serialized = patched(SERIALIZED_REQUESTS);
    if (!serialized) commit();
    // Section 14: the held coupon's discount line, before tax; a `once` coupon is used once the invoice is written.
    const discount = this.state.coupon && patched(COUPONS) ? withDiscount(this.state, invoice) : null;
    const charged = await this.ledger.charge(key, discount?.invoice ?? invoice, this.paymentMethod(), period).catch((error: unknown) => this.refused(error, undo));
    if (discount) this.state.coupon = discount.coupon;
    if (serialized) commit();
    if (charged.status !== 'open') return charged;
    const firstFailure = invoice.on;
    const next = afterFailedAttempt(firstFailure, 0);
    this.state.dunning = {
      invoiceId: charged.invoiceId, invoiceKey: key, total: charged.total, firstFailure, failedRetries: 0, nextTryOn: next.on, ...(period ? { periodStart: period.start } : {}),
    };
    if (this.state.plan !== 'free') this.state.status = 'past_due';
    await this.ledger.notify('payment_failed', firstFailure, `${key}:attempt:1`, { invoiceId: charged.invoiceId, total: charged.total, attempt: 1, nextTryOn: next.on });
    return charged;
  }

  /** A refused collection: undone inside a request (the caller hears why), left to dunning in a scheduled event. */
  private async refused(error: unknown, undo?: () => Promise<void>): Promise<ChargedInvoice> {
    if (!(error instanceof CollectionRefused)) throw error;
    if (!patched(UNDO_REFUSED_CHARGE)) throw error.failure;
    if (this.inScheduledEvent) return error.invoice; // open: dunning retries it
    await this.ledger.voidInvoice(error.invoice.invoiceId);
    await undo?.();
    throw ApplicationFailure.create({ type: 'payment_refused', message: `The payment was refused: ${error.refusal.message}`, nonRetryable: true });
  }

  /** A new paid period (or term) and its anchor: the run continues as new once it is idle. */
  private beginPeriod(period: Period, anchorDay: number): void {
    startPeriod(this.state, period, anchorDay);
    this.newPeriodStarted = true;
  }

  private paymentMethod(): PaymentMethodRef {
    if (!this.state.paymentMethod) throw new Error(`team ${this.state.teamId} has a paid plan but no payment method`);
    return this.state.paymentMethod;
  }

  // ---- requests (updates) ----------------------------------------------------------------------------------

  /** Runs the day's scheduled events, checks the request again against the resulting state, then acts; `kind` names it in the audit trail. */
  private request<T>(kind: string, check: (today: Day) => void, act: (today: Day) => T | Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.runDueEvents();
      const today = this.clock.today();
      check(today);
      return this.audit.around(kind, () => today, async () => act(today));
    });
  }

  validateStartTrial(selection: PlanSelection): void {
    requests.checkStartTrial(this.state, this.clock.today(), selection);
  }

  startTrial(selection: PlanSelection): Promise<TrialStarted> {
    return this.request(
      'start_trial',
      (today) => requests.checkStartTrial(this.state, today, selection),
      (today) => {
        const trial = { start: today, end: trialEnd(today) }; // start + 14 days
        Object.assign(this.state, { plan: selection.plan, interval: selection.interval, status: 'trialing', hadTrial: true, trial, pendingChange: null });
        // A new scheduled event changes the workflow's timers: histories recorded before it replay without it.
        if (patched(TRIAL_ENDING_NOTICE)) this.state.trialNoticeOn = trialEndingNoticeDay(trial);
        return { plan: selection.plan, interval: selection.interval, trialEnd: trial.end };
      },
    );
  }

  validateSubscribe(selection: PlanSelection): void {
    requests.checkSubscribe(this.state, this.clock.today(), selection);
  }

  /** Paid now, no trial. */
  subscribe(selection: PlanSelection): Promise<ChargedInvoice> {
    return this.request(
      'subscribe',
      (today) => requests.checkSubscribe(this.state, today, selection),
      (today) => this.startSubscription(selection, today),
    );
  }

  /** price × members for a period starting (and anchored) today: on subscribing, or when a seat order hands over. */
  private startSubscription(selection: PlanSelection, today: Day): Promise<ChargedInvoice> {
    const first = subscribeInvoice({ ...selection, members: this.state.members, today });
    return this.charge(this.ledger.invoiceKey(first.invoice), first.invoice, first.period, () => {
      Object.assign(this.state, { plan: selection.plan, interval: selection.interval, status: 'active', pendingChange: null });
      takePrice(this.state, null);
      this.beginPeriod(first.period, first.anchorDay);
    });
  }

  validateChangePlan(change: PlanChangeRequest): void {
    this.checkPlanChange(this.clock.today(), change);
  }

  changePlan(change: PlanChangeRequest): Promise<PlanChangeResult> {
    return this.request(
      'change_plan',
      (today) => this.checkPlanChange(today, change),
      (today) => {
        if (this.state.trial) return this.changeTrialPlan(change);
        return seatOrderOf(this.state) ? this.subscribeAtOrderEnd(change) : this.changePaidPlan(change, today);
      },
    );
  }

  private checkPlanChange(today: Day, change: PlanChangeRequest): void {
    seatRequests.checkSeatPlanChange(this.state, today, change);
    if (!seatOrderOf(this.state)) requests.checkPlanChange(this.state, today, change);
  }

  /** Switching from seats to a subscription: the order runs out, the subscription starts on its end day. */
  private subscribeAtOrderEnd(change: PlanChangeRequest): PlanChangeResult {
    const plan = change.plan as PaidPlan; // checked: a plan sold per member
    this.state.pendingChange = { plan, interval: change.interval ?? 'year', effectiveOn: seatOrderOf(this.state)!.period.end };
    return { timing: 'deferred', pendingChange: this.state.pendingChange };
  }

  /** During a trial the trial's plan is switched (nothing is charged before trial end); to Free cancels it. */
  private changeTrialPlan(change: PlanChangeRequest): PlanChangeResult {
    const trial = this.state.trial!;
    const plan = change.plan ?? this.state.plan;
    const interval = change.interval ?? this.state.interval;
    if (plan === 'free') return { timing: 'deferred', pendingChange: this.cancelAt(trial.end) };
    Object.assign(this.state, { plan, interval, pendingChange: null });
    return { timing: 'trial', plan, interval, trialEnd: trial.end };
  }

  private async changePaidPlan(change: PlanChangeRequest, today: Day): Promise<PlanChangeResult> {
    const { plan, interval, period } = paidSubscription(this.state);
    const outcome = planChange({ current: { plan, interval, period, members: this.state.members }, to: change, today });
    if (outcome.timing === 'none' || outcome.timing === 'invalid') throw new Error(`unchecked plan change: ${outcome.timing}`);
    if (outcome.timing === 'deferred') {
      this.state.pendingChange = outcome.pending; // replaces any earlier one
      return { timing: 'deferred', pendingChange: outcome.pending };
    }
    // Immediate (or the immediate part of a split): new price × members − unused time of the old period, plus
    // the old period's member changes, prorated to its end; a new period and anchor start today.
    const members = unbilledMemberLines(this.state);
    const invoice = buildInvoice(today, 'plan_change', [...outcome.invoice.lines, ...members.charges]);
    const key = this.ledger.invoiceKey(invoice, `${outcome.plan}-${outcome.interval}`);
    await this.ledger.creditBalance(key, members.refundTotal, today);
    const commit = () => {
      Object.assign(this.state, { plan: outcome.plan, interval: outcome.interval, status: 'active', pendingChange: outcome.pending });
      takePrice(this.state, null); // a new plan or interval: the catalog's price
      this.beginPeriod(outcome.period, outcome.anchorDay);
    };
    // Refused: the removed members' refunds go back out of the balance; they stay unbilled, for the renewal.
    const undo = () => (members.refundTotal > 0 ? this.ledger.reverseBalanceCredit(key, today) : Promise.resolve());
    const charged = await this.charge(key, invoice, outcome.period, commit, undo);
    return outcome.timing === 'immediate'
      ? { timing: 'immediate', invoice: charged, period: outcome.period, pendingChange: null }
      : { timing: 'split', invoice: charged, period: outcome.period, pendingChange: outcome.pending };
  }

  validateCancel(): void {
    this.checkCancel();
  }

  /** Canceling keeps the plan until the trial or the period ends; then Free, nothing more charged. */
  cancel(): Promise<PendingChange> {
    return this.request(
      'cancel',
      () => this.checkCancel(),
      () => this.cancelAt(this.state.trial?.end ?? paidSubscription(this.state).period.end),
    );
  }

  private checkCancel(): void {
    seatRequests.checkSeatCancel(this.state);
    requests.checkCancel(this.state);
  }

  private cancelAt(effectiveOn: Day): PendingChange {
    this.state.pendingChange = { plan: 'free', interval: this.state.interval, effectiveOn };
    return this.state.pendingChange;
  }

  validateWithdrawPendingChange(): void {
    this.checkWithdrawPendingChange();
  }

  withdrawPendingChange(): Promise<PendingChange> {
    return this.request(
      'withdraw_pending_change',
      () => this.checkWithdrawPendingChange(),
      () => {
        const withdrawn = this.state.pendingChange!;
        this.state.pendingChange = null;
        return withdrawn;
      },
    );
  }

  private checkWithdrawPendingChange(): void {
    seatRequests.checkSeatWithdraw(this.state);
    requests.checkWithdrawPendingChange(this.state);
  }

  validateAddMembers(input: { count: number }): void {
    this.checkAddMembers(input);
  }

  addMembers(input: { count: number }): Promise<MemberCount> {
    return this.request('add_members', () => this.checkAddMembers(input), (today) => this.changeMembers(input.count, today));
  }

  /** Within the seats, on the seat system (visitors count as members). */
  private checkAddMembers(input: { count: number }): void {
    requests.checkMemberCount(input);
    seatRequests.checkSeatsForInvite(this.state, input.count);
  }

  validateRemoveMembers(input: { count: number }): void {
    requests.checkRemoveMembers(this.state, input);
  }

  removeMembers(input: { count: number }): Promise<MemberCount> {
    return this.request('remove_members', () => requests.checkRemoveMembers(this.state, input), (today) => this.changeMembers(-input.count, today));
  }

  /**
   * Paid periods record the change for the next review (monthly: the renewal; annual: the anchor day). A trial's
   * changes are not prorated (trial end counts the members that day), and Free bills nothing.
   */
  private changeMembers(delta: number, today: Day): MemberCount {
    this.state.members += delta;
    if (this.state.period) {
      const last = this.state.memberChanges.at(-1);
      if (last?.on === today) last.delta += delta; // one entry per day keeps the carried state small
      else this.state.memberChanges.push({ on: today, delta });
    }
    return { members: this.state.members, restricted: restricted(this.state, today) };
  }

  validatePaymentMethod(method: PaymentMethodRef): void {
    requests.checkPaymentMethod(method);
  }

  /** The card on file; dunning's next retry uses it. */
  async setPaymentMethod(method: PaymentMethodRef): Promise<{ hasPaymentMethod: true }> {
    this.state.paymentMethod = { ...method };
    await this.records.write(this.publishedView());
    return { hasPaymentMethod: true };
  }

  // ---- refunds (section 10) -------------------------------------------------------------------------------

  validateRequestRefund(request?: RefundRequest): void {
    checkRefund(this.state, this.clock.now(), this.billingCountry, request);
  }

  /** Back to the payment method; the refunded period ends today (Free, nothing more charged for it). */
  requestRefund(request?: RefundRequest): Promise<RefundResult> {
    return this.request(
      'refund',
      () => checkRefund(this.state, this.clock.now(), this.billingCountry, request),
      async (today) => {
        const payment = checkRefund(this.state, this.clock.now(), this.billingCountry, request);
        const refund = await this.ledger.refund(payment);
        forgetPayment(this.state, payment);
        // The period (or order) it started ends today, its unbilled member changes with it; an order not started never starts.
        const ends = refundEnds(this.state, payment);
        if (ends === 'ordered') this.state.orderedSeats = null;
        if (ends === 'period') Object.assign(this.state, { seatOrder: null, orderedSeats: null });
        const periodEndedOn = ends === 'period' && this.state.plan !== 'free' ? today : null;
        if (periodEndedOn) await this.downgradeToFree(today, 'refunded');
        return { ...refund, periodEndedOn, restricted: restricted(this.state, today) };
      },
    );
  }

  // ---- seat orders (section 7) -----------------------------------------------------------------------------

  validateBuySeats(request: SeatOrderRequest): void {
    seatRequests.checkBuySeats(this.state, this.clock.today(), request);
  }

  buySeats(request: SeatOrderRequest): Promise<SeatOrderResult> {
    return this.request('buy_seats', (today) => seatRequests.checkBuySeats(this.state, today, request), (today) => this.seats.buy(request, today));
  }

  validateAddSeats(input: { count: number }): void {
    seatRequests.checkAddSeats(this.state, input);
  }

  addSeats(input: { count: number }): Promise<SeatsAdded> {
    return this.request('add_seats', () => seatRequests.checkAddSeats(this.state, input), (today) => this.seats.addSeats(input.count, today));
  }

  validateInvoicePayment(payment: InvoicePayment): void {
    seatRequests.checkInvoicePayment(this.state, this.clock.today(), payment);
  }

  recordInvoicePayment(payment: InvoicePayment): Promise<InvoicePaymentResult> {
    return this.request('invoice_payment', (today) => seatRequests.checkInvoicePayment(this.state, today, payment), (today) => this.seats.recordPayment(payment, today));
  }

  // ---- signals and queries ---------------------------------------------------------------------------------

  /**
   * A payment made elsewhere (a webhook) settled the invoice dunning is retrying: it is recorded as the invoice's
   * payment (balance and credits applied, the invoice paid), then the team is active again. A payment the ledger
   * refuses (another amount, or the invoice paid meanwhile by another payment) leaves dunning as it was.
   */
  async paymentConfirmed({ invoiceId, payment }: PaymentConfirmed): Promise<void> {
    await this.exclusive(() =>
      this.audit.around('payment_confirmed', () => this.clock.today(), async () => {
        const dunning = this.state.dunning;
        if (dunning?.invoiceId !== invoiceId) return;
        if (payment && patched(RECORD_CONFIRMED_PAYMENT)) {
          const { provider, providerPaymentId, amount } = payment;
          const invoice = { invoiceId, key: dunning.invoiceKey, ...(dunning.periodStart ? { periodStart: dunning.periodStart } : {}) };
          const recorded = await this.ledger.recordPayment(invoice, amount, 'card', providerPaymentId, provider).catch(refusedByLedger);
          if (recorded?.status !== 'paid') return;
        }
        this.paymentSettled();
      }),
    );
  }

  /**
   * The provider reports a failed payment (a webhook). Only noted for the `state` query: the workflow made the charge
   * itself and learned of the decline from its result, so dunning already runs; acting again would double it. Plain
   * state, no activity, timer or audit row, so no `exclusive`; only the read model is told (under its patch, so
   * histories recorded before it replay unchanged).
   */
  async paymentFailed({ paymentId, invoiceId }: { paymentId: string; invoiceId?: string }): Promise<void> {
    this.state.lastPaymentFailure = { paymentId, invoiceId: invoiceId ?? null, on: this.clock.today() };
    await this.records.write(this.publishedView()); // under its patch: a local activity, no command before it
  }

  view(): TeamSubscriptionView {
    const today = this.clock.today();
    return { ...this.publishedView(), today, restricted: restricted(this.state, today), busy: this.busy };
  }

  /** The view without what depends on the moment of reading: what the read model stores. */
  private publishedView(): PublishedSubscriptionView {
    const s = this.state;
    return {
      teamId: s.teamId,
      plan: s.plan,
      interval: s.interval,
      status: s.status,
      members: s.members,
      seats: seatOrderOf(s)?.seats ?? null,
      seatOrder: seatOrderOf(s),
      orderedSeats: orderedSeatsOf(s),
      period: s.period,
      periodEnd: s.period?.end ?? s.trial?.end ?? seatOrderOf(s)?.period.end ?? null,
      anchorDay: s.anchorDay,
      trial: s.trial,
      hadTrial: s.hadTrial,
      pendingChange: s.pendingChange,
      dunning: s.dunning && { invoiceId: s.dunning.invoiceId, firstFailure: s.dunning.firstFailure, failedRetries: s.dunning.failedRetries, nextTryOn: s.dunning.nextTryOn },
      unbilledMemberChanges: [...s.memberChanges],
      lastPaymentFailure: s.lastPaymentFailure ?? null,
      hasPaymentMethod: s.paymentMethod !== null,
      nextEventOn: nextEventOn(s),
      // Section 14, under pricing-view: a view that changes adds a records command, so runs before it publish none.
      ...(s.pricingView && s.coupon ? { coupon: s.coupon } : {}),
      ...(s.pricingView && s.priceChange ? { priceChange: s.priceChange } : {}),
    };
  }

  upcomingInvoice(): UpcomingInvoice | null {
    return previewWithDiscount(this.state, upcomingInvoice(this.state));
  }

  /**
   * A price was published (section 14): a team on that plan and interval hears, on the publication day, when and how
   * much its price changes, unless the version grandfathers it; the renewal it names charges the new price.
   */
  async pricePublished(published: PriceVersion): Promise<void> {
    await this.exclusive(async () => {
      const notice = learnPublishedPrice(this.state, published);
      if (!notice || !patched(PRICE_VERSIONS)) return;
      const { plan, interval, version } = notice;
      await this.ledger.notify('price_change_notice', this.clock.today(), `${this.state.teamId}:price:${plan}-${interval}:v${version}`, { ...notice });
    });
  }

  // ---- coupons (section 14) ---------------------------------------------------------------------------------

  validateRedeemCode(request: RedeemCodeRequest): void {
    checkRedeemCode(request);
  }

  redeemCode(request: RedeemCodeRequest): Promise<CouponRedeemed> {
    return this.request('redeem_code', () => checkRedeemCode(request), (today) => {
      patched(COUPONS);
      return redeemCode(this.state, this.ledger.eventKey('redeem_code', today), request, today);
    });
  }
}

/** An activity's failure (the ledger refused the write) as nothing recorded; anything else is a bug and goes on up. */
function refusedByLedger(error: unknown): null {
  if (error instanceof ActivityFailure) return null;
  throw error;
}
