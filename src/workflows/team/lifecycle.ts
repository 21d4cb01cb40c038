// The frame of a team's subscription run: one request or scheduled event at a time (the lock), and after each the
// operator view and the change's records published; charging an invoice, with state following money; the views.
// The scheduled events are in ./scheduled-events, the requests in ./payment-requests and ./subscription.
import { allHandlersFinished, ApplicationFailure, condition, workflowInfo } from '@temporalio/workflow';
import { afterFailedAttempt, percentOffCarried, type Day, type Invoice, type Period } from '../../domain';
import type {
  AnswerPublication,
  ChargedInvoice,
  PaymentMethodRef,
  PendingChangePrice,
  PlanSelection,
  PublishedSubscriptionView,
  TeamSubscriptionView,
  UpcomingInvoice,
} from '../team-subscription-messages';
import { COUPONS, KEEP_TIMER, PRICING_VIEW, RECORDS_TO_WAITING_TURN, SERIALIZED_REQUESTS, UNDO_REFUSED_CHARGE } from '../patches';
import { upcomingInvoice } from './charges';
import { previewWithDiscount, withDiscount } from './discounts';
import { AuditTrail } from './audit';
import { ChangeRecords, recordsAfterAnswer } from './change-records';
import type { BusinessClock } from './clock';
import { CollectionRefused } from './collection-outcomes';
import { TeamLedger } from './ledger';
import { NextEventTimer } from './next-event-timer';
import { OperatorView } from './operator-view';
import { rememberPayment } from './refunds';
import { dueEvent, nextEventOn, type ScheduledEvent } from './schedule';
import { SeatOrders, type FreeReason } from './seat-orders';
import { restricted, startPeriod, type TeamState } from './state';
import { usesPatch } from './run-patches';
import { publishedViewOf } from './published-view';

export abstract class TeamLifecycle {
  protected readonly ledger: TeamLedger;
  protected readonly operatorView = new OperatorView();
  protected readonly seats: SeatOrders;
  protected readonly audit: AuditTrail;
  protected readonly records: ChangeRecords;
  protected readonly nextEventTimer: NextEventTimer;
  /** One request or scheduled event at a time: each reads the state, awaits activities, then writes the state. */
  protected busy = false;
  /** Bumped by every request, so the waiting main loop re-reads the schedule. */
  protected changes = 0;
  /** Turns waiting to begin (serialized-requests). */
  private waiting = 0;
  /** A new period (and anchor) started in this run: time to continue-as-new. */
  protected newPeriodStarted = false;
  /** open() has run (the team's ledger record, the events due at the start of the run). */
  protected opened = false;
  /** A scheduled event is running (not a request): a refused charge goes to dunning instead of failing it. */
  protected inScheduledEvent = false;

  constructor(
    protected readonly state: TeamState,
    protected readonly clock: BusinessClock,
    /** The ledger team record's country: it sets the refund window (section 10). */
    protected readonly billingCountry: string,
  ) {
    this.ledger = new TeamLedger(
      state.teamId,
      clock,
      (payment) => rememberPayment(this.state, payment),
      () => (this.state.eventSequence = (this.state.eventSequence ?? 0) + 1),
      (id) => usesPatch(this.state, id),
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
      if (usesPatch(this.state, KEEP_TIMER)) {
        this.nextEventTimer.arm(next); // the running timer stays when the next event day has not changed
        // A request runs the day's due events itself and publishes what it changed: the loop has work only when the
        // request moved the next event day or started a new period. (Waking for nothing added no commands either.)
        const rescheduled = () => this.changes !== seen && (this.newPeriodStarted || nextEventOn(this.state) !== next);
        await condition(() => rescheduled() || workflowInfo().continueAsNewSuggested || this.nextEventTimer.fired());
      } else if (next === null) await condition(woken);
      else await condition(woken, this.clock.msUntil(next));
    }
  }

  /** A turn that answers no request; with one waiting (records-to-waiting-turn), its records are left to that turn. */
  protected async exclusive<T>(work: () => Promise<T>, opening = false): Promise<T> {
    await this.takeTurn(opening);
    try {
      return await work();
    } finally {
      if (this.waiting > 0 && usesPatch(this.state, RECORDS_TO_WAITING_TURN)) this.release();
      else await this.writeRecordsAndRelease();
    }
  }

  /** A request's turn (records-after-answer): done, it answers with its view, leaving its records to the records timer
   * (ChangeRecords); refused, or alone (records-in-bursts), it writes them first. */
  protected async answered<T extends object>(work: () => Promise<T>): Promise<T & AnswerPublication> {
    // Runs from before it; never one that took records-to-waiting-turn (decided at the same start), so exclusive()
    // writes this request's records before it answers.
    if (!recordsAfterAnswer(this.state)) return this.exclusive(work);
    await this.takeTurn(false);
    const answer = await work().catch((error: unknown) => this.writeRecordsAndRelease().then(() => Promise.reject(error)));
    if (!this.records.answersFirst()) return this.writeRecordsAndRelease().then(() => answer); // an isolated request
    const published = this.records.publishForAnswer(this.endTurn());
    this.busy = false;
    return published ? { ...answer, published: { ...published, clockOffsetMs: this.clock.offsetMs, at: this.clock.now() } } : answer;
  }

  /** Still busy: the records of this change are written before the next request runs, and before this one answers. */
  private async writeRecordsAndRelease(): Promise<void> {
    await this.records.write(this.endTurn()).finally(() => {
      this.busy = false;
    });
  }

  /** The turn over, its records and operator view left to the next turn, which publishes and writes them with its own. */
  private release(): void {
    this.changes += 1;
    this.busy = false;
  }

  private async takeTurn(opening: boolean): Promise<void> {
    if (usesPatch(this.state, SERIALIZED_REQUESTS)) {
      // An update delivered with the start runs as soon as its handler is set, before open(): it waits for open().
      // One condition wakes every waiter in the same pass (two updates that waited for the same charge): each checks
      // again after it wakes, and only the first takes its turn.
      const free = () => !this.busy && (opening || this.opened);
      this.waiting += 1;
      while (!free()) await condition(free);
      this.waiting -= 1;
    } else {
      await condition(() => !this.busy); // before the patch: every waiter woken together ran at once
    }
    this.busy = true;
  }

  /** The end of a request's or event's turn: the main loop woken, the operator view published; the view for the records. */
  private endTurn(): PublishedSubscriptionView {
    this.changes += 1;
    if (!this.state.pricingView && (this.state.coupon || this.state.priceChange) && usesPatch(this.state, PRICING_VIEW)) this.state.pricingView = true;
    this.operatorView.publish(this.state, this.clock.today());
    return this.publishedView();
  }

  /** Before continue-as-new: no handler running, and every change's records written (none carried unwritten). */
  async finishRun(): Promise<void> {
    do await condition(allHandlersFinished);
    while (recordsAfterAnswer(this.state) && (await this.records.flush()));
  }

  /** What is scheduled up to today happens first, in day order, before any request of the day. */
  protected async runDueEvents(): Promise<void> {
    for (let event = dueEvent(this.state, this.clock.today()); event; event = dueEvent(this.state, this.clock.today())) {
      this.inScheduledEvent = true;
      await this.audit.around(event.kind, () => event.on, () => this.runEvent(event)).finally(() => {
        this.inScheduledEvent = false;
      });
      if (dueEvent(this.state, this.clock.today())) await this.records.writeAudits(); // in order with the next event's money
    }
  }

  /** Runs one due event (./scheduled-events). */
  protected abstract runEvent(event: ScheduledEvent): Promise<void>;

  protected abstract downgradeToFree(on: Day, reason: FreeReason): Promise<void>;

  /** A paid period starting today (./subscription): on subscribing, or when a seat order hands over. */
  protected abstract startSubscription(selection: PlanSelection, today: Day): Promise<ChargedInvoice>;

  // ---- money ---------------------------------------------------------------------------------------------

  protected paymentSettled(): void {
    this.state.dunning = null;
    if (this.state.plan !== 'free') this.state.status = 'active';
  }

  /**
   * Issues and collects an invoice, then commits the change it pays for (`commit`): state follows money. A decline
   * commits it past due and starts dunning. A collection refused for good (a payment method the provider rejects)
   * undoes a request: the invoice is voided, nothing is committed and the request fails; a scheduled event's
   * charge goes to dunning like a decline, since the period it bills has come whether or not the card works.
   */
  protected async charge(key: string, invoice: Invoice, period?: Period, commit: () => void = () => undefined, undo?: () => Promise<void>): Promise<ChargedInvoice> {
    // Runs from before serialized-requests ran requests side by side, each seeing the others' changes at once: they
    // commit first, as they did, so their histories replay.
    const serialized = usesPatch(this.state, SERIALIZED_REQUESTS);
    if (!serialized) commit();
    // Section 14: the held coupon's discount line, before tax; a `once` coupon is used once the invoice is written.
    const held = this.state.coupon ?? null;
    const discount = held && usesPatch(this.state, COUPONS) ? withDiscount(this.state, invoice) : null;
    const charged = await this.ledger.charge(key, discount?.invoice ?? invoice, this.paymentMethod(), period).catch((error: unknown) => this.refused(error, undo));
    if (discount) this.state.coupon = discount.coupon;
    // The invoice that opens a period: its percent off reduces the refunds of members removed in that period.
    if (period) this.state.periodDiscount = percentOffCarried(discount?.invoice ?? invoice, held);
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
  protected async refused(error: unknown, undo?: () => Promise<void>): Promise<ChargedInvoice> {
    if (!(error instanceof CollectionRefused)) throw error;
    if (!usesPatch(this.state, UNDO_REFUSED_CHARGE)) throw error.failure;
    if (this.inScheduledEvent) return error.invoice; // open: dunning retries it
    await this.ledger.voidInvoice(error.invoice.invoiceId);
    await undo?.();
    throw ApplicationFailure.create({ type: 'payment_refused', message: `The payment was refused: ${error.refusal.message}`, nonRetryable: true });
  }

  /** A new paid period (or term) and its anchor: the run continues as new once it is idle. */
  protected beginPeriod(period: Period, anchorDay: number): void {
    startPeriod(this.state, period, anchorDay);
    this.newPeriodStarted = true;
  }

  protected paymentMethod(): PaymentMethodRef {
    if (!this.state.paymentMethod) throw new Error(`team ${this.state.teamId} has a paid plan but no payment method`);
    return this.state.paymentMethod;
  }

  // ---- requests (updates) ----------------------------------------------------------------------------------

  /** Runs the day's scheduled events, checks the request again against the resulting state, then acts; `kind` names it in the audit trail. */
  protected request<T extends object>(kind: string, check: (today: Day) => void, act: (today: Day) => T | Promise<T>): Promise<T & AnswerPublication> {
    return this.answered(async () => {
      await this.runDueEvents();
      const today = this.clock.today();
      check(today);
      return this.audit.around(kind, () => today, async () => act(today));
    });
  }

  // ---- queries -------------------------------------------------------------------------------------------

  view(): TeamSubscriptionView {
    const today = this.clock.today();
    return { ...this.publishedView(), today, restricted: restricted(this.state, today), busy: this.busy };
  }

  /** The view without what depends on the moment of reading: what the read model stores. */
  protected publishedView(): PublishedSubscriptionView {
    return publishedViewOf(this.state);
  }

  upcomingInvoice(pendingChangePrice: PendingChangePrice | null = null): UpcomingInvoice | null {
    return previewWithDiscount(this.state, upcomingInvoice(this.state, pendingChangePrice));
  }
}
