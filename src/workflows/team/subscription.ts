// A team's subscription: the requests that change its plan, term and members (the class the workflow wires).
// The run, the lock and charging are in ./lifecycle, scheduled events in ./scheduled-events, requests about
// payments, refunds and seat orders in ./payment-requests.
// Amounts come from ./charges (the domain's functions); money moves only through ./ledger (activities).
import {
  newPeriodOf,
  planChange,
  subscribeInvoice,
  trialEnd,
  trialEndingNoticeDay,
  type Day,
  type HeldPrice,
  type Interval,
  type PaidPlan,
  type PendingChange,
  type PriceVersion,
} from '../../domain';
import type {
  ChargedInvoice,
  MemberCount,
  PlanChangeRequest,
  PlanChangeResult,
  PlanSelection,
  TrialStarted,
} from '../team-subscription-messages';
import { COUPONS, ORDER_AWAITING_PAYMENT, PRICE_IN_FORCE, PRICE_VERSIONS, TRIAL_ENDING_NOTICE } from '../patches';
import type { CouponRedeemed, RedeemCodeRequest } from '../team-pricing-messages';
import { paidSubscription, periodDiscountOf } from './charges';
import * as checks from './checks';
import * as seatChecks from './seat-checks';
import { invoiceAwaitingPayment, seatOrderOf } from './seat-state';
import { restricted } from './state';
import { TeamPaymentRequests } from './payment-requests';
import { checkRedeemCode, redeemCode } from './discounts';
import { learnPublishedPrice, takePriceInForce } from './price-changes';
import { usesPatch } from './run-patches';

export class TeamSubscription extends TeamPaymentRequests {
  validateStartTrial(selection: PlanSelection): void {
    checks.checkStartTrial(this.state, this.clock.today(), selection);
    seatChecks.checkNoOrderAwaitingPayment(this.state);
  }

  startTrial(selection: PlanSelection): Promise<TrialStarted> {
    return this.request(
      'start_trial',
      (today) => {
        checks.checkStartTrial(this.state, today, selection);
        this.checkNoOrderAwaitingPayment();
      },
      async (today) => {
        const pricing = this.priceInForce(selection, today); // charged at trial end
        const price = pricing && (await pricing);
        const trial = { start: today, end: trialEnd(today) }; // start + 14 days
        Object.assign(this.state, { plan: selection.plan, interval: selection.interval, status: 'trialing', hadTrial: true, trial, pendingChange: null });
        takePriceInForce(this.state, price);
        // A new scheduled event changes the workflow's timers: histories recorded before it replay without it.
        if (usesPatch(this.state, TRIAL_ENDING_NOTICE)) this.state.trialNoticeOn = trialEndingNoticeDay(trial);
        return { plan: selection.plan, interval: selection.interval, trialEnd: trial.end };
      },
    );
  }

  validateSubscribe(selection: PlanSelection): void {
    checks.checkSubscribe(this.state, this.clock.today(), selection);
    seatChecks.checkNoOrderAwaitingPayment(this.state);
  }

  /** Paid now, no trial. */
  subscribe(selection: PlanSelection): Promise<ChargedInvoice> {
    return this.request(
      'subscribe',
      (today) => {
        checks.checkSubscribe(this.state, today, selection);
        this.checkNoOrderAwaitingPayment();
      },
      (today) => this.startSubscription(selection, today),
    );
  }

  validateChangePlan(change: PlanChangeRequest): void {
    this.checkPlanChange(this.clock.today(), change);
  }

  changePlan(change: PlanChangeRequest): Promise<PlanChangeResult> {
    return this.request(
      'change_plan',
      (today) => this.checkPlanChange(today, change),
      (today) => {
        if (this.state.trial) return this.changeTrialPlan(change, today);
        return seatOrderOf(this.state) ? this.subscribeAtOrderEnd(change) : this.changePaidPlan(change, today);
      },
    );
  }

  /** Again in the handler, where an order may have been bought since the validator ran: histories from before it go on. */
  private checkNoOrderAwaitingPayment(): void {
    if (invoiceAwaitingPayment(this.state) && usesPatch(this.state, ORDER_AWAITING_PAYMENT)) seatChecks.checkNoOrderAwaitingPayment(this.state);
  }

  private checkPlanChange(today: Day, change: PlanChangeRequest): void {
    seatChecks.checkSeatPlanChange(this.state, today, change);
    if (!seatOrderOf(this.state)) checks.checkPlanChange(this.state, today, change);
  }

  /** Switching from seats to a subscription: the order runs out, the subscription starts on its end day. */
  private subscribeAtOrderEnd(change: PlanChangeRequest): PlanChangeResult {
    const plan = change.plan as PaidPlan; // checked: a plan sold per member
    this.state.pendingChange = { plan, interval: change.interval ?? 'year', effectiveOn: seatOrderOf(this.state)!.period.end };
    return { timing: 'deferred', pendingChange: this.state.pendingChange };
  }

  /**
   * During a trial the trial's plan is switched (nothing is charged before trial end, then at the price in force
   * today for the new plan and interval); to Free cancels it.
   */
  private async changeTrialPlan(change: PlanChangeRequest, today: Day): Promise<PlanChangeResult> {
    const trial = this.state.trial!;
    const plan = change.plan ?? this.state.plan;
    const interval = change.interval ?? this.state.interval;
    if (plan === 'free') return { timing: 'deferred', pendingChange: this.cancelAt(trial.end) };
    const pricing = this.priceInForce({ plan: plan as PaidPlan, interval }, today); // checked: a plan sold per member
    const price = pricing && (await pricing);
    Object.assign(this.state, { plan, interval, pendingChange: null });
    takePriceInForce(this.state, price);
    return { timing: 'trial', plan, interval, trialEnd: trial.end };
  }

  private async changePaidPlan(change: PlanChangeRequest, today: Day): Promise<PlanChangeResult> {
    const { plan, interval, period } = paidSubscription(this.state);
    // Section 14: a period the change starts now takes the price in force today; the old one's unused time is
    // credited at the price the team held.
    const newPeriod = newPeriodOf({ plan, interval }, change, today);
    const pricing = newPeriod && this.priceInForce(newPeriod, today);
    const price = pricing && (await pricing);
    const current = { plan, interval, period, members: this.state.members, price: this.state.price };
    const outcome = planChange({ current, to: change, today, unbilledMemberChanges: this.state.memberChanges, price, refundDiscount: periodDiscountOf(this.state) });
    if (outcome.timing === 'none' || outcome.timing === 'invalid') throw new Error(`unchecked plan change: ${outcome.timing}`);
    if (outcome.timing === 'deferred') {
      this.state.pendingChange = outcome.pending; // replaces any earlier one
      return { timing: 'deferred', pendingChange: outcome.pending };
    }
    // Immediate (or the immediate part of a split): new price × members − unused time of the old period, plus
    // the old period's member changes, prorated to its end (the quote shows this invoice); a new period starts today.
    const { invoice, memberRefunds } = outcome;
    const key = this.ledger.invoiceKey(invoice, `${outcome.plan}-${outcome.interval}`);
    const credited = await this.ledger.creditBalance(key, memberRefunds, today);
    const commit = () => {
      Object.assign(this.state, { plan: outcome.plan, interval: outcome.interval, status: 'active', pendingChange: outcome.pending });
      takePriceInForce(this.state, price); // a new plan or interval: the price in force today
      this.beginPeriod(outcome.period, outcome.anchorDay);
    };
    // Refused: the removed members' refunds go back out of the balance; they stay unbilled, for the renewal.
    const undo = () => (credited > 0 ? this.ledger.reverseBalanceCredit(key, today) : Promise.resolve());
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
    seatChecks.checkSeatCancel(this.state);
    checks.checkCancel(this.state);
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
    seatChecks.checkSeatWithdraw(this.state);
    checks.checkWithdrawPendingChange(this.state);
  }

  validateAddMembers(input: { count: number }): void {
    this.checkAddMembers(input);
  }

  addMembers(input: { count: number }): Promise<MemberCount> {
    return this.request('add_members', () => this.checkAddMembers(input), (today) => this.changeMembers(input.count, today));
  }

  /** Within the seats, on the seat system (visitors count as members). */
  private checkAddMembers(input: { count: number }): void {
    checks.checkMemberCount(input);
    seatChecks.checkSeatsForInvite(this.state, input.count);
  }

  validateRemoveMembers(input: { count: number }): void {
    checks.checkRemoveMembers(this.state, input);
  }

  removeMembers(input: { count: number }): Promise<MemberCount> {
    return this.request('remove_members', () => checks.checkRemoveMembers(this.state, input), (today) => this.changeMembers(-input.count, today));
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

  /** price × members for a period starting (and anchored) today: on subscribing, or when a seat order hands over. */
  protected override async startSubscription(selection: PlanSelection, today: Day): Promise<ChargedInvoice> {
    const pricing = this.priceInForce(selection, today);
    const price = pricing && (await pricing);
    const first = subscribeInvoice({ ...selection, members: this.state.members, today, price });
    return this.charge(this.ledger.invoiceKey(first.invoice), first.invoice, first.period, () => {
      Object.assign(this.state, { plan: selection.plan, interval: selection.interval, status: 'active', pendingChange: null });
      takePriceInForce(this.state, price);
      this.beginPeriod(first.period, first.anchorDay);
    });
  }

  /**
   * Section 14: the price a team takes when it subscribes, starts a trial or changes plan or interval, read from the
   * ledger's catalog (a local activity after the price-in-force marker). Null in runs from before it: they charged
   * the code catalog's price, and replay so (callers await only a read, so those runs take no extra turn either).
   */
  private priceInForce(selection: { plan: PaidPlan; interval: Interval }, today: Day): Promise<HeldPrice> | null {
    return usesPatch(this.state, PRICE_IN_FORCE) ? this.ledger.priceInForce(selection.plan, selection.interval, today) : null;
  }

  // ---- price versions and coupons (section 14) ---------------------------------------------------------------

  /**
   * A price was published (section 14): a team on that plan and interval hears, on the publication day, when and how
   * much its price changes, unless the version grandfathers it; the renewal it names charges the new price.
   */
  async pricePublished(published: PriceVersion): Promise<void> {
    await this.exclusive(async () => {
      const notice = learnPublishedPrice(this.state, published);
      if (!notice || !usesPatch(this.state, PRICE_VERSIONS)) return;
      const { plan, interval, version } = notice;
      await this.ledger.notify('price_change_notice', this.clock.today(), `${this.state.teamId}:price:${plan}-${interval}:v${version}`, { ...notice });
    });
  }

  validateRedeemCode(request: RedeemCodeRequest): void {
    checkRedeemCode(request);
  }

  redeemCode(request: RedeemCodeRequest): Promise<CouponRedeemed> {
    return this.request('redeem_code', () => checkRedeemCode(request), (today) => {
      usesPatch(this.state, COUPONS);
      return redeemCode(this.state, this.ledger.eventKey('redeem_code', today), request, today);
    });
  }
}
