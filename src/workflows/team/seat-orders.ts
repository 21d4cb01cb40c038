// The seat system (section 7) inside the team's workflow: orders bought, paid, started, extended and ended. Amounts
// come from the domain's seat rules; money moves only through ./ledger, under keys of business facts.
import {
  invoiceDueDay,
  invoiceFirstSeatOrderInvoice,
  seatAdditionInvoice,
  seatOrderInvoice,
  sendsProviderInvoice,
  type Day,
  type Invoice,
  type PaidPlan,
  type Period,
} from '../../domain';
import type {
  ChargedInvoice,
  InvoicePayment,
  InvoicePaymentResult,
  PaymentMethodRef,
  PlanSelection,
  SeatOrderRequest,
  SeatOrderResult,
  SeatsAdded,
} from '../team-subscription-messages';
import { CollectionRefused } from './collection-outcomes';
import type { TeamLedger } from './ledger';
import { reject } from './checks';
import { newSeatOrder, orderedSeatsOf, seatOrderOf, type OrderInvoice, type SeatOrder } from './seat-state';
import type { TeamState } from './state';
import { SEAT_CHARGE_ATTEMPTS, STRIPE_SEAT_INVOICE, UNDO_REFUSED_CHARGE } from '../patches';
import { usesPatch } from './run-patches';

export type FreeReason = 'canceled' | 'payment_failed' | 'order_expired' | 'refunded' | 'invoice_voided';

/** What the seat system needs from the team's lifecycle around it. */
export interface SeatOrderHost {
  /** A new order began: the run continues as new once it is idle. */
  newPeriodStarted(): void;
  downgradeToFree(on: Day, reason: FreeReason): Promise<void>;
  startSubscription(selection: PlanSelection, today: Day): Promise<ChargedInvoice>;
}

export class SeatOrders {
  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
    private readonly host: SeatOrderHost,
  ) {}

  // ---- requests --------------------------------------------------------------------------------------------

  /**
   * On Free the order starts now (card) or when its invoice is paid. On a subscription or a running order it starts
   * when that one ends: the subscription is canceled for it, an order simply runs out.
   */
  async buy(request: SeatOrderRequest, today: Day): Promise<SeatOrderResult> {
    const { plan, seats } = request;
    const currentEnd = seatOrderOf(this.state)?.period.end ?? this.state.period?.end ?? null;
    const startsOn = currentEnd ?? today;
    const invoice = request.invoiceFirst ? await this.orderInvoiceFirst(request, today, startsOn) : null;
    if (currentEnd !== null) {
      if (this.state.period) this.state.pendingChange = { plan: 'free', interval: this.state.interval, effectiveOn: currentEnd };
      if (!invoice) this.state.orderedSeats = { plan, seats, startsOn, invoice: null };
      return { status: 'scheduled', ordered: orderedSeatsOf(this.state)!, invoice };
    }
    if (invoice) return { status: 'awaiting_payment', ordered: orderedSeatsOf(this.state)!, invoice };
    const order = seatOrderInvoice({ plan, seats, start: today }); // seatPrice × seats
    const charged = await this.chargeCard(this.ledger.invoiceKey(order.invoice), order.invoice, order.order);
    if (!charged) reject('payment_declined', 'The card was declined: the order was not placed.');
    return { status: 'active', order: this.begin(plan, seats, today), invoice: charged };
  }

  /** seatPrice × added × daysFrom(today, orderEnd) ÷ daysInOrder, charged now; the seats count from today. */
  async addSeats(count: number, today: Day): Promise<SeatsAdded> {
    const order = seatOrderOf(this.state)!;
    const invoice = seatAdditionInvoice({ plan: order.plan, added: count, today, order: order.period });
    const seats = order.seats + count;
    const charged = await this.chargeCard(this.ledger.invoiceKey(invoice, `order-${order.period.start}:seats-${seats}`), invoice);
    if (!charged) reject('payment_declined', 'The card was declined: no seats were added.');
    order.seats = seats;
    return { seats, invoice: charged };
  }

  /** Invoice first: the payment starts the order today, or on its start day if that is still ahead. */
  async recordPayment(payment: InvoicePayment, today: Day): Promise<InvoicePaymentResult> {
    const ordered = orderedSeatsOf(this.state)!;
    const invoice = ordered.invoice!;
    // The order starts on its day, or today when that has passed: the period a refund of this payment ends.
    const periodStart = ordered.startsOn > today ? ordered.startsOn : today;
    await this.ledger.recordPayment({ ...invoice, periodStart }, invoice.charged, payment.method, payment.reference);
    invoice.paid = true;
    if (ordered.startsOn > today) return { status: 'scheduled', ordered };
    return { status: 'active', order: this.begin(ordered.plan, ordered.seats, today) };
  }

  // ---- scheduled events ------------------------------------------------------------------------------------

  /** Order end − 30 days: admins and billing managers are told the order ends (orders do not renew). */
  async noticeExpiry(on: Day): Promise<void> {
    const order = seatOrderOf(this.state)!;
    order.expiryNoticeOn = null;
    await this.ledger.notify('expiry_notice', on, this.orderKey(order.period), {
      orderEnd: order.period.end, plan: order.plan, seats: order.seats, members: this.state.members,
    });
  }

  /** Order end: a subscription chosen for then starts; otherwise Free (a reorder starting today follows). */
  async endOrder(on: Day): Promise<void> {
    this.state.seatOrder = null;
    const next = this.state.pendingChange;
    if (next && next.plan !== 'free') {
      this.state.pendingChange = null;
      await this.host.startSubscription({ plan: next.plan, interval: next.interval }, on);
      return;
    }
    await this.host.downgradeToFree(on, 'order_expired'); // no notice when ordered seats start today
  }

  /** Ordered seats start on the day the period or order before them ended; by card, charged now. */
  async startOrdered(on: Day): Promise<void> {
    const ordered = orderedSeatsOf(this.state)!;
    if (ordered.invoice) {
      this.begin(ordered.plan, ordered.seats, on);
      return;
    }
    const order = seatOrderInvoice({ plan: ordered.plan, seats: ordered.seats, start: on }); // seatPrice × seats
    const charged = await this.chargeCard(this.ledger.invoiceKey(order.invoice), order.invoice, order.order);
    if (charged) {
      this.begin(ordered.plan, ordered.seats, on);
      return;
    }
    this.state.orderedSeats = null;
    await this.ledger.notify('payment_failed', on, `${this.ledger.invoiceKey(order.invoice)}:attempt:1`, { total: order.invoice.total, attempt: 1 });
    await this.host.downgradeToFree(on, 'payment_failed');
  }

  /**
   * Unpaid past its due day: void, and the order never starts. A subscription it was to replace goes on. Sent through
   * Stripe, it is voided there first; found paid there (its webhook late or lost), the payment starts the order instead.
   */
  async voidUnpaid(today: Day): Promise<void> {
    const ordered = orderedSeatsOf(this.state)!;
    const invoice = ordered.invoice!;
    if (invoice.provider && usesPatch(this.state, STRIPE_SEAT_INVOICE)) {
      const closed = await this.ledger.voidProviderInvoice(invoice.invoiceId);
      if (closed.outcome === 'paid') {
        await this.recordPayment({ invoiceId: invoice.invoiceId, method: 'card', reference: closed.reference }, today);
        return;
      }
    }
    this.state.orderedSeats = null;
    const switchedAway = this.state.pendingChange;
    if (this.state.period && switchedAway?.plan === 'free' && switchedAway.effectiveOn === ordered.startsOn) this.state.pendingChange = null;
    await this.ledger.voidInvoice(ordered.invoice!.invoiceId);
  }

  // ---- money -------------------------------------------------------------------------------------------------

  /** Invoice first: seatPrice × seats, open until its due day (issue + 30 days unless told). */
  private async orderInvoiceFirst(request: SeatOrderRequest, today: Day, startsOn: Day): Promise<ChargedInvoice> {
    const invoice = invoiceFirstSeatOrderInvoice({ plan: request.plan, seats: request.seats, issuedOn: today });
    const dueOn = invoiceDueDay(today, request.dueDays);
    const issued = await this.ledger.issueOpen(this.ledger.invoiceKey(invoice), invoice, dueOn, request.purchaseOrder);
    const { invoiceId, key, total, charged } = issued;
    const provider = await this.sendThroughProvider(issued);
    this.state.orderedSeats = {
      plan: request.plan, seats: request.seats, startsOn, invoice: { invoiceId, key, total, charged, dueOn, paid: false, ...(provider ? { provider } : {}) },
    };
    return issued;
  }

  /** A team paying through Stripe gets the invoice from Stripe (`send_invoice`): emailed, and paid on its hosted page. */
  private async sendThroughProvider(issued: ChargedInvoice): Promise<OrderInvoice['provider'] | null> {
    const method = this.state.paymentMethod;
    if (!sendsProviderInvoice(method, issued.charged) || !usesPatch(this.state, STRIPE_SEAT_INVOICE)) return null;
    const sent = await this.ledger.sendProviderInvoice(issued.invoiceId, method.customerId);
    return { invoiceId: sent.providerInvoiceId, hostedInvoiceUrl: sent.hostedInvoiceUrl };
  }

  /**
   * Seat orders are paid up front: a declined card voids the invoice (no dunning), and the caller says what then. A
   * retry of the same fact (the same day, say with another card) is a new attempt, `<key>:attempt-<n>`: under the
   * declined one's key the ledger would answer with the voided invoice again.
   */
  private async chargeCard(key: string, invoice: Invoice, period?: Period): Promise<ChargedInvoice | null> {
    const declined = this.state.declinedSeatCharge;
    const attempt = declined?.key === key && usesPatch(this.state, SEAT_CHARGE_ATTEMPTS) ? declined.attempts + 1 : 1;
    const charged = await this.ledger.charge(attempt === 1 ? key : `${key}:attempt-${attempt}`, invoice, this.paymentMethod(), period).catch((error: unknown) => {
      // A card the provider refuses for good is declined for the order: its invoice is voided below, nothing starts.
      if (!(error instanceof CollectionRefused)) throw error;
      if (!usesPatch(this.state, UNDO_REFUSED_CHARGE)) throw error.failure;
      return error.invoice;
    });
    if (charged.status === 'paid') {
      this.state.declinedSeatCharge = null;
      return charged;
    }
    if (charged.status === 'open') await this.ledger.voidInvoice(charged.invoiceId);
    this.state.declinedSeatCharge = { key, attempts: attempt };
    return null;
  }

  private begin(plan: PaidPlan, seats: number, start: Day): SeatOrder {
    const order = newSeatOrder(plan, seats, start);
    Object.assign(this.state, { plan, interval: 'year', status: 'active', seatOrder: order, orderedSeats: null, pendingChange: null });
    this.host.newPeriodStarted();
    return order;
  }

  private orderKey(period: Period): string {
    return `${this.state.teamId}:seat_order:${period.start}`;
  }

  private paymentMethod(): PaymentMethodRef {
    if (!this.state.paymentMethod) throw new Error(`team ${this.state.teamId} orders seats by card but has no payment method`);
    return this.state.paymentMethod;
  }
}
