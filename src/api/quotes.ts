// What a change would cost if made now, from the workflow's live state and the same domain functions the workflow
// charges with. An immediate plan change's invoice (with the member changes not yet billed, prorated to the old
// period's end) is domain's planChange, given the view's unbilled member changes, as the workflow's is. A period the
// change would start is priced at the price in force today, read by the ledger function the workflow's activity
// reads it with (section 14). So is the period a deferred change starts, at the price in force on its day: the quote
// names that price (pendingPrice), and the upcoming invoice of the renewal that applies it charges it.
import {
  deferredPeriodOf,
  discountInvoice,
  isSoldPerMember,
  memberChangeLines,
  newPeriodOf,
  planChange,
  subscribeInvoice,
  trialEndInvoice,
  type HeldPrice,
  type Interval,
  type Invoice,
  type InvoiceLine,
  type PaidPlan,
  type PendingChange,
  type Plan,
} from '../domain';
import type { Db } from '../ledger/db';
import { priceInForceOn } from '../ledger/pricing';
import type { PendingChangePrice, TeamSubscriptionView } from '../workflows/team-subscription-messages';
import { problem } from './problem';

export interface QuoteRequest {
  plan?: Plan;
  interval?: Interval;
  addMembers?: number;
  removeMembers?: number;
}

export interface Quote {
  today: string;
  planChange: null | {
    /** `immediate`: charged today; `deferred`: nothing now, `pendingChange` later; `trial`: charged at trial end. */
    timing: 'immediate' | 'deferred' | 'split' | 'trial';
    invoice: Invoice | null;
    pendingChange: PendingChange | null;
    /**
     * The price version the pending change's period takes on its day (a change of plan or interval: the price in force
     * then, as published now; no 30-day notice); null when nothing is pending or it goes to Free.
     */
    pendingPrice: HeldPrice | null;
  };
  members: null | {
    /** Prorated to the period's end; billed at the next member review or renewal. */
    charges: InvoiceLine[];
    /** Refunds to the team balance, used first by the next payment. */
    refunds: InvoiceLine[];
    chargeTotal: number;
    refundTotal: number;
  };
}

/**
 * The quote at the price in force today (from the ledger's catalog) for the period the change would start, and at the
 * price in force on its day for the period a deferred change would start.
 */
export async function quoteAtPriceInForce(db: Db, view: TeamSubscriptionView, request: QuoteRequest): Promise<Quote> {
  const period = periodStartedBy(view, request);
  const quoted = quote(view, request, period && (await priceInForceOn(db, period.plan, period.interval, view.today)));
  const pending = quoted.planChange && (await pendingChangePriceInForce(db, quoted.planChange.pendingChange));
  if (!quoted.planChange || !pending) return quoted;
  return { ...quoted, planChange: { ...quoted.planChange, pendingPrice: { version: pending.version, amount: pending.amount } } };
}

/**
 * The price in force, on the day a pending change takes effect, for its plan and interval (the ledger read the
 * workflow's renewal makes that day): the upcoming-invoice query's argument, so its preview is that renewal's charge.
 * Null when nothing is pending or the change goes to Free.
 */
export async function pendingChangePriceInForce(db: Db, pendingChange: PendingChange | null): Promise<PendingChangePrice | null> {
  const deferred = deferredPeriodOf(pendingChange);
  if (!deferred) return null;
  const { version, amount } = await priceInForceOn(db, deferred.plan, deferred.interval, deferred.on);
  return { ...deferred, version, amount };
}

/**
 * The plan and interval whose price the change fixes today, as the workflow does: subscribing or a trial's plan (its
 * trial end charges it), or the period an immediate change starts. Null when it fixes none.
 */
function periodStartedBy(view: TeamSubscriptionView, request: QuoteRequest): { plan: PaidPlan; interval: Interval } | null {
  const plan = request.plan ?? view.plan;
  const interval = request.interval ?? view.interval;
  if (plan === 'free' || !isSoldPerMember(plan, view.today)) return null;
  if (view.status === 'free' || view.trial) return { plan, interval };
  if (view.plan === 'free' || !view.period) return null;
  return newPeriodOf({ plan: view.plan, interval: view.interval }, request, view.today);
}

/** `price`: the price in force for the period the change starts (quoteAtPriceInForce); null: the code catalog's. */
export function quote(view: TeamSubscriptionView, request: QuoteRequest, price: HeldPrice | null = null): Quote {
  const wantsPlan = request.plan !== undefined || request.interval !== undefined;
  return {
    today: view.today,
    planChange: wantsPlan ? withDiscount(view, request, planChangeQuote(view, request, price)) : null,
    members: request.addMembers || request.removeMembers ? memberQuote(view, (request.addMembers ?? 0) - (request.removeMembers ?? 0)) : null,
  };
}

function planChangeQuote(view: TeamSubscriptionView, request: QuoteRequest, price: HeldPrice | null): NonNullable<Quote['planChange']> {
  const plan = request.plan ?? view.plan;
  const interval = request.interval ?? view.interval;
  if (plan !== 'free' && !isSoldPerMember(plan, view.today)) throw problem(422, `${plan} is sold by seat orders, not per member`, { field: 'body.plan' });
  if (view.status === 'free') {
    if (plan === 'free') throw problem(422, 'the team is on Free already', { field: 'body.plan', code: 'no_change' });
    const first = subscribeInvoice({ plan: plan as PaidPlan, interval, members: view.members, today: view.today, price });
    return { timing: 'immediate', invoice: first.invoice, pendingChange: null, pendingPrice: null };
  }
  if (view.trial) {
    if (plan === 'free') return { timing: 'deferred', invoice: null, pendingChange: { plan, interval, effectiveOn: view.trial.end }, pendingPrice: null };
    const first = trialEndInvoice({ plan: plan as PaidPlan, interval, members: view.members, trialStart: view.trial.start, price });
    return { timing: 'trial', invoice: first.invoice, pendingChange: null, pendingPrice: null };
  }
  if (view.plan === 'free' || !view.period) throw problem(409, 'the team has no paid period to change', { code: 'not_subscribed' });
  const current = { plan: view.plan, interval: view.interval, period: view.period, members: view.members, price: view.price };
  // The domain function the workflow's changePaidPlan charges with, given the same unbilled member changes, prices and refund discount.
  const outcome = planChange({ current, to: request, today: view.today, unbilledMemberChanges: view.unbilledMemberChanges, price, refundDiscount: view.periodDiscount });
  switch (outcome.timing) {
    case 'none':
      throw problem(422, `the team is already on ${view.plan}, ${view.interval}`, { field: 'body', code: 'no_change' });
    case 'invalid':
      throw problem(422, outcome.reason, { field: 'body.plan', code: 'invalid_request' });
    case 'deferred':
      return { timing: 'deferred', invoice: null, pendingChange: outcome.pending, pendingPrice: null };
    default:
      return { timing: outcome.timing, invoice: outcome.invoice, pendingChange: outcome.pending, pendingPrice: null };
  }
}

/** The held coupon's discount line, as the workflow puts it on the invoice that follows (section 14). */
function withDiscount(view: TeamSubscriptionView, request: QuoteRequest, change: NonNullable<Quote['planChange']>): NonNullable<Quote['planChange']> {
  if (!change.invoice || !view.coupon) return change;
  return { ...change, invoice: discountInvoice(change.invoice, view.coupon, request.plan ?? view.plan).invoice };
}

function memberQuote(view: TeamSubscriptionView, delta: number): NonNullable<Quote['members']> {
  if (delta < 0 && -delta > view.members) throw problem(422, `the team has ${view.members} members`, { field: 'body.removeMembers' });
  // A trial's changes are not prorated (trial end counts the members that day) and Free bills nothing.
  if (view.plan === 'free' || !view.period || delta === 0) return { charges: [], refunds: [], chargeTotal: 0, refundTotal: 0 };
  // At the price the team holds (section 14), a removal's refund less the period's percent off, as the workflow bills them.
  return memberChangeLines({ plan: view.plan, interval: view.interval, period: view.period, changes: [{ on: view.today, delta }], ...(view.price ? { price: view.price.amount } : {}), refundDiscount: view.periodDiscount });
}
