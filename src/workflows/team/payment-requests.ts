// The requests and signals about money already owed or paid: the payment method, refunds (section 10), seat
// orders (section 7) and their payments, and payments confirmed or failed elsewhere (webhooks).
import { ActivityFailure } from '@temporalio/workflow';
import type {
  InvoicePayment,
  InvoicePaymentResult,
  PaymentMethodRef,
  PaymentConfirmed,
  RefundRequest,
  RefundResult,
  SeatOrderRequest,
  SeatOrderResult,
  SeatsAdded,
  VoidPaidInvoiceRequest,
  VoidPaidInvoiceResult,
} from '../team-subscription-messages';
import type { Day } from '../../domain';
import type { FreeReason } from './seat-orders';
import { RECORD_CONFIRMED_PAYMENT, REMOVE_PAYMENT_METHOD, VOID_PAID_INVOICE } from '../patches';
import { checkRefund, checkVoidRequest, forgetPayment, refundEnds } from './refunds';
import * as checks from './checks';
import * as seatChecks from './seat-checks';
import { invoiceInDunning, restricted } from './state';
import { TeamScheduledEvents } from './scheduled-events';
import { usesPatch } from './run-patches';

export abstract class TeamPaymentRequests extends TeamScheduledEvents {
  validatePaymentMethod(method: PaymentMethodRef): void {
    checks.checkPaymentMethod(method);
  }

  /** The card on file; dunning's next retry uses it. */
  async setPaymentMethod(method: PaymentMethodRef): Promise<{ hasPaymentMethod: true }> {
    this.state.paymentMethod = { ...method };
    await this.records.write(this.publishedView());
    return { hasPaymentMethod: true };
  }

  validateRemovePaymentMethod(): void {
    checks.checkRemovePaymentMethod(this.state);
  }

  /** Forgets the card on file (a team on Free with nothing ordered); a new one is set before the next paid plan. */
  removePaymentMethod(): Promise<{ hasPaymentMethod: false }> {
    return this.request('remove_payment_method', () => checks.checkRemovePaymentMethod(this.state), () => {
      // The marker says this run took the new update (no history before it holds one); its view is written by exclusive().
      usesPatch(this.state, REMOVE_PAYMENT_METHOD);
      this.state.paymentMethod = null;
      return { hasPaymentMethod: false as const };
    });
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
        const periodEndedOn = await this.endWhatItPaidFor(payment, today, 'refunded');
        return { ...refund, periodEndedOn, restricted: restricted(this.state, today) };
      },
    );
  }

  validateVoidPaidInvoice(request: VoidPaidInvoiceRequest): void {
    checkVoidRequest(request);
  }

  /**
   * Section 13: the platform voids a paid invoice issued in error. The money goes back as a refund's (no refund
   * window: the invoice was wrong, not regretted), and, like a refund, the period or order the invoice started ends
   * today: the team is not served a period nobody paid for. An invoice of an earlier period or a member review ends nothing.
   */
  voidPaidInvoice(request: VoidPaidInvoiceRequest): Promise<VoidPaidInvoiceResult> {
    return this.request('void_invoice', () => checkVoidRequest(request), async (today) => {
      usesPatch(this.state, VOID_PAID_INVOICE); // no history before it holds this update
      const { invoiceKey, periodStart, ...refund } = await this.ledger.voidPaid(request.invoiceId);
      const invoice = { invoiceId: request.invoiceId, invoiceKey, ...(periodStart ? { periodStart } : {}) };
      const periodEndedOn = await this.endWhatItPaidFor(invoice, today, 'invoice_voided');
      return { ...refund, invoiceId: request.invoiceId, periodEndedOn, restricted: restricted(this.state, today) };
    });
  }

  /** A paid invoice given back: not refundable again; the period (or order) it started ends today, its unbilled member changes with it; an order not started never starts. */
  private async endWhatItPaidFor(payment: Parameters<typeof refundEnds>[1], today: Day, reason: FreeReason): Promise<Day | null> {
    forgetPayment(this.state, payment);
    const ends = refundEnds(this.state, payment);
    if (ends === 'ordered') this.state.orderedSeats = null;
    if (ends === 'period') Object.assign(this.state, { seatOrder: null, orderedSeats: null });
    const periodEndedOn = ends === 'period' && this.state.plan !== 'free' ? today : null;
    if (periodEndedOn) await this.downgradeToFree(today, reason);
    return periodEndedOn;
  }

  // ---- seat orders (section 7) -----------------------------------------------------------------------------

  validateBuySeats(request: SeatOrderRequest): void {
    seatChecks.checkBuySeats(this.state, this.clock.today(), request);
  }

  buySeats(request: SeatOrderRequest): Promise<SeatOrderResult> {
    return this.request('buy_seats', (today) => seatChecks.checkBuySeats(this.state, today, request), (today) => this.seats.buy(request, today));
  }

  validateAddSeats(input: { count: number }): void {
    seatChecks.checkAddSeats(this.state, input);
  }

  addSeats(input: { count: number }): Promise<SeatsAdded> {
    return this.request('add_seats', () => seatChecks.checkAddSeats(this.state, input), (today) => this.seats.addSeats(input.count, today));
  }

  validateInvoicePayment(payment: InvoicePayment): void {
    seatChecks.checkInvoicePayment(this.state, this.clock.today(), payment);
  }

  recordInvoicePayment(payment: InvoicePayment): Promise<InvoicePaymentResult> {
    return this.request('invoice_payment', (today) => seatChecks.checkInvoicePayment(this.state, today, payment), (today) => this.seats.recordPayment(payment, today));
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
        if (payment && usesPatch(this.state, RECORD_CONFIRMED_PAYMENT)) {
          const { provider, providerPaymentId, amount } = payment;
          const recorded = await this.ledger.recordPayment(invoiceInDunning(dunning), amount, 'card', providerPaymentId, provider).catch(refusedByLedger);
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
}

/** An activity's failure (the ledger refused the write) as nothing recorded; anything else is a bug and goes on up. */
function refusedByLedger(error: unknown): null {
  if (error instanceof ActivityFailure) return null;
  throw error;
}
