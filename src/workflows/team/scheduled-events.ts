// The events a team's subscription has scheduled (./schedule): trial end and its notice, renewal, member reviews,
// reminders, dunning retries, seat order days. Each runs under the lock of ./lifecycle when it falls due.
import { afterFailedAttempt, deferredPeriodOf, type Day, type HeldPrice } from '../../domain';
import { DEFERRED_CHANGE_PRICE_IN_FORCE } from '../patches';
import { cancellationCharge, memberReviewCharge, paidSubscription, renewalCharge, trialEndCharge } from './charges';
import type { ScheduledEvent } from './schedule';
import type { FreeReason } from './seat-orders';
import { seatsStartOn } from './seat-state';
import { dropToFree, invoiceInDunning, restricted, reviewAfter } from './state';
import { TeamLifecycle } from './lifecycle';
import { takePrice, takePriceInForce } from './price-changes';
import { usesPatch } from './run-patches';

export abstract class TeamScheduledEvents extends TeamLifecycle {
  protected override runEvent({ kind, on }: ScheduledEvent): Promise<void> {
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
  protected async endTrial(on: Day): Promise<void> {
    if (this.state.pendingChange?.plan === 'free') return this.downgradeToFree(on, 'canceled'); // nothing charged
    const first = trialEndCharge(this.state);
    await this.charge(this.ledger.invoiceKey(first.invoice), first.invoice, first.period, () => {
      this.state.status = 'active';
      this.beginPeriod(first.period, first.anchorDay);
    });
  }

  /** Trial end − 3 days: the admins and billing managers hear the first period is charged soon; not if canceled. */
  protected async noticeTrialEnding(on: Day): Promise<void> {
    const { plan, interval, trial } = this.state;
    this.state.trialNoticeOn = null;
    if (!trial || this.state.pendingChange?.plan === 'free') return; // a canceled trial ends on Free, nothing charged
    await this.ledger.notify('trial_ending', on, `${this.state.teamId}:trial:${trial.end}`, { trialEnd: trial.end, plan, interval });
  }

  /** Period end: the next period (a pending change applies now) plus the closing period's member changes. */
  protected async renew(on: Day): Promise<void> {
    if (this.state.pendingChange?.plan === 'free') return this.endCanceledPeriod(on);
    const pricing = this.pendingChangePriceInForce(on);
    const inForce = pricing && (await pricing);
    const renewal = renewalCharge(this.state, inForce);
    const key = this.ledger.invoiceKey(renewal.invoice);
    // Removed members' refunds go to the balance first, so this very invoice uses them (M2).
    await this.ledger.creditBalance(key, renewal.refunds, on);
    const anchorDay = paidSubscription(this.state).anchorDay;
    await this.charge(key, renewal.invoice, renewal.period, () => {
      Object.assign(this.state, { plan: renewal.next.plan, interval: renewal.next.interval, pendingChange: null });
      if (inForce) takePriceInForce(this.state, inForce); // a change of plan or interval: any scheduled change is for the plan left
      else takePrice(this.state, renewal.price);
      this.beginPeriod(renewal.period, anchorDay);
    });
  }

  /**
   * Section 14: a pending change of plan or interval applied by this renewal takes the price in force today for its
   * plan and interval, read from the ledger's catalog (a local activity after the deferred-change-price-in-force
   * marker; see pendingChangePrice). Null when no change applies, or in runs from before the patch, which charged the
   * code catalog's price there and replay so (the caller awaits only a read, so they take no extra turn either).
   */
  private pendingChangePriceInForce(on: Day): Promise<HeldPrice> | null {
    const deferred = deferredPeriodOf(this.state.pendingChange);
    if (!deferred || !usesPatch(this.state, DEFERRED_CHANGE_PRICE_IN_FORCE)) return null;
    return this.ledger.priceInForce(deferred.plan, deferred.interval, on);
  }

  /** A canceled subscription ends: Free from today, and its unbilled member changes settled. */
  protected async endCanceledPeriod(on: Day): Promise<void> {
    const last = cancellationCharge(this.state, on);
    await this.downgradeToFree(on, 'canceled');
    const key = this.ledger.eventKey('period_end', on);
    await this.ledger.creditBalance(key, last.refunds, on);
    if (last.invoice) await this.charge(key, last.invoice);
  }

  /** Annual terms, on each anchor day: adds charged, removals refunded to the balance, over the rest of the term. */
  protected async reviewMembers(on: Day): Promise<void> {
    const review = memberReviewCharge(this.state, on);
    this.state.memberChanges = [];
    this.state.nextReviewOn = reviewAfter(this.state, on);
    const key = this.ledger.eventKey('member_review', on);
    await this.ledger.creditBalance(key, review.refunds, on);
    if (review.invoice) await this.charge(key, review.invoice);
  }

  /** Annual terms: a notice on term end − 30 days. */
  protected async remindRenewal(on: Day): Promise<void> {
    const { plan, interval, period } = paidSubscription(this.state);
    this.state.reminderOn = null;
    await this.ledger.notify('renewal_reminder', on, `${this.state.teamId}:term:${period.end}`, { termEnd: period.end, plan, interval });
  }

  /** Dunning: retries 1, 3, 5 and 7 days after the first failure; after the last one, Free that day. */
  protected async retryPayment(on: Day): Promise<void> {
    const dunning = this.state.dunning;
    if (!dunning) return;
    const attempt = dunning.failedRetries + 2; // attempt 1 was the first failure
    const collection = await this.ledger.collect(invoiceInDunning(dunning), attempt, this.paymentMethod());
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

  protected override async downgradeToFree(on: Day, reason: FreeReason): Promise<void> {
    dropToFree(this.state);
    this.newPeriodStarted = true;
    if (seatsStartOn(this.state, on)) return; // switched to a seat order that starts today, not to Free
    await this.ledger.notify('downgraded_to_free', on, this.ledger.eventKey('free', on), {
      reason, members: this.state.members, restricted: restricted(this.state, on),
    });
  }
}
