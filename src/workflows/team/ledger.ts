// The workflow's only way to touch money: the billing activities, by type. Every write carries an idempotency
// key made of business facts (team, day or period start, kind), never a run ID, so a retried activity, a
// replayed workflow or the next run after continue-as-new writes each row once.
import { proxyActivities, proxyLocalActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type {
  BillingActivities, CollectInvoiceInput, CollectOn, InvoiceSummary, IssueInvoiceInput, PaymentMethodRef, ProviderInvoiceClosed, ProviderInvoiceSent, RecordAuditInput,
  SettledInvoice, VoidedInvoice,
} from '../../activities';
import { sumCents, type Cents, type Day, type HeldPrice, type Interval, type Invoice, type InvoiceLine, type PaidPlan, type Period } from '../../domain';
import { chargesTaskQueue } from '../charges-queue';
import { COLLECT_LOCAL, COLLECT_RECONCILE, ENSURE_TEAM_LOCAL, INVOICE_SEQUENCE, ISSUE_INVOICE_LOCAL, LEDGER_WRITES_LOCAL, PROVIDER_RATE_LIMIT, REFUND_FULLY_DISCOUNTED, type PatchId } from '../patches';
import type { ChargedInvoice, PublishedSubscriptionView } from '../team-subscription-messages';
import type { BusinessClock } from './clock';
import { CollectionRefused, declineOf, outOfKeyWindow, refusalOf, type Collection } from './collection-outcomes';
import type { InvoiceToSettle, LastPayment } from './state';
import { ACTIVITY_RETRY } from '../retry';
import { usesPatch } from './run-patches';

const billing = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  // A provider outage or a lost connection is retried under the same keys until it works; a decline is not
  // retried here (the activity fails it as non-retryable): dunning makes the next attempt days later.
  retry: ACTIVITY_RETRY,
});

// A charge is retried under one idempotency key, which the provider remembers for 24 hours (Stripe); after that
// a retry could charge again. So a collection's retries stop 20 hours after it was scheduled (its last attempt
// starts before then and lasts at most a minute): well inside the window, whatever the backoff. A charge still
// unsettled then (processing, or the provider down throughout) is reconciled: looked up, never charged again.
// Backing off to 5 minutes keeps a stuck charge to ~240 calls at the provider in that window.
// Timeouts and retry policies are not commands: the histories recorded before these options replay unchanged (a run
// in flight then keeps the options its activity was scheduled with); what follows a timeout is behind COLLECT_RECONCILE.
const collectingOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '20 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

// Looking a charge up only reads the provider: asked until it answers, hourly at most while the charge processes
// (a bank debit can take days).
const reconcilingOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
};

/**
 * The activities of a collection, on the team workflow's task queue (runs from before PROVIDER_RATE_LIMIT) or on its
 * charges task queue, which the server dispatches at most PAYMENT_PROVIDER_MAX_RPS a second across all workers.
 */
function collectionActivities(onChargesQueue: boolean) {
  const taskQueue = onChargesQueue ? { taskQueue: chargesTaskQueue(workflowInfo().taskQueue) } : {};
  return {
    collecting: proxyActivities<BillingActivities>({ ...collectingOptions, ...taskQueue }),
    reconciling: proxyActivities<BillingActivities>({ ...reconcilingOptions, ...taskQueue }),
  };
}

// Where no limit paces the provider's calls (issueInvoice answers collectOn 'local'), the workflow task that issued
// the invoice collects it too (COLLECT_LOCAL): no activity task, no workflow task for its result. One attempt: a
// charge left unsettled, or a provider down, goes on as the activity above under the same charge key (its retries and
// 20 hours from there). A worker lost mid-charge has the workflow task run again elsewhere, whose collection finds the
// charge under that key.
const localCollecting = proxyLocalActivities<BillingActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

// The records of a change (its audit rows, the published view) are a few rows in our own Postgres: one local
// activity, run by the worker inside the workflow task that made the change, instead of a round trip through the
// server's activity queue. Retried the same way, idempotent under the same keys. The catalog's price in force is
// read the same way: a few rows, once where a price is fixed.
const local = proxyLocalActivities<BillingActivities>({ startToCloseTimeout: '10 seconds', retry: ACTIVITY_RETRY });
// Writing an invoice is the same: rows in our own Postgres, idempotent under the invoice's key. As a local activity
// (ISSUE_INVOICE_LOCAL) the workflow task that wrote it goes on to schedule its collection: a renewal is one workflow
// task and one activity task fewer at the server. Its timeout is the activity's (numbering waits on the series' lock).
// So are the ledger's other writes (LEDGER_WRITES_LOCAL: a balance credit, a notice, an invoice closed, a payment
// received): only the provider's calls stay activities.
const localWriting = proxyLocalActivities<BillingActivities>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });

/** Notices for the team's admins and billing managers. */
export type NotificationKind = 'payment_failed' | 'renewal_reminder' | 'trial_ending' | 'downgraded_to_free' | 'expiry_notice' | 'price_change_notice';

/** An invoice's payment given back: `amount` to the card, the rest to the balance and the credits it came from. */
export interface Refund {
  refundId: string;
  /** Null when the card paid nothing of the invoice. */
  paymentId: string | null;
  amount: Cents;
  balanceReturned: Cents;
  creditsReturned: Cents;
}

export class TeamLedger {
  constructor(
    private readonly teamId: string,
    private readonly clock: BusinessClock,
    /** Told of every payment the payment method made, so the state knows what a refund would go back to. */
    private readonly paid: (payment: LastPayment) => void = () => undefined,
    /** The team's next event number, carried in its state across continue-as-new. */
    private readonly nextSequence: () => number = () => 0,
    /** Whether the run takes a patch's branch (run-patches.ts); by default asked where its code runs. */
    private readonly uses: (id: PatchId) => boolean = (id) => usesPatch({}, id),
  ) {}

  /** Our own ledger's writes: local activities in the workflow task that made the change (LEDGER_WRITES_LOCAL). */
  private get writes() { return this.via(LEDGER_WRITES_LOCAL, localWriting); }
  /** The local activities of the patch that made them so, or the activities runs from before it scheduled. */
  private via(patch: PatchId, localActivities: typeof billing) { return this.uses(patch) ? localActivities : billing; }

  /** `team-1:renewal:2026-06-20:n7`: the invoice of one business event. */
  invoiceKey(invoice: Invoice, detail?: string): string {
    return this.eventKey(invoice.reason, invoice.on, detail);
  }

  /**
   * `team-1:<kind>:<day>:n<sequence>`: names one business event, never reused by a later one, whatever its day
   * (the sequence is the team's, in its state). Under histories recorded before the sequence: `team-1:<kind>:<day>`.
   */
  eventKey(kind: string, on: Day, detail?: string): string {
    const sequence = this.uses(INVOICE_SEQUENCE) ? `n${this.nextSequence()}` : undefined;
    return [this.teamId, kind, on, detail, sequence].filter((part) => part !== undefined).join(':');
  }

  /** The team's ledger row, one upsert: a local activity (ENSURE_TEAM_LOCAL) in the new run's first workflow task. */
  async ensureTeam(team: { name: string; billingCountry: string; organizationId?: string }): Promise<void> {
    await this.via(ENSURE_TEAM_LOCAL, local).ensureTeam({ teamId: this.teamId, ...team });
  }

  /** Writes the invoice, then collects it: balance, then credits, then the card (attempt 1). */
  async charge(key: string, invoice: Invoice, paymentMethod: PaymentMethodRef, period?: Period): Promise<ChargedInvoice> {
    const { charged, collectOn } = await this.issue(key, invoice, period ? { periodStart: period.start, periodEnd: period.end } : {});
    if (charged.status !== 'open') return charged; // collected already, by an earlier attempt of this same fact
    const collection = await this.collect({ invoiceId: charged.invoiceId, key, ...(period ? { periodStart: period.start } : {}) }, 1, paymentMethod, collectOn);
    if (collection.refused) throw new CollectionRefused(charged, collection.refused, collection.failure);
    return collection.paid ? { ...charged, ...paidAs(collection.paid) } : charged;
  }

  /**
   * Writes the invoice under `key` with its terms (its period, or its due day and purchase order): how it stands, and
   * where its collection runs (absent in answers recorded before collectOn).
   */
  private async issue(
    key: string,
    invoice: Invoice,
    terms: Pick<IssueInvoiceInput, 'periodStart' | 'periodEnd' | 'dueOn' | 'purchaseOrder'>,
  ): Promise<{ charged: ChargedInvoice; collectOn?: CollectOn }> {
    const { workflowId, runId } = workflowInfo(); // the run: evidence for support only, never part of a key
    const { reason, on, lines } = invoice;
    const input: IssueInvoiceInput = { key, teamId: this.teamId, reason, issuedOn: on, ...terms, lines, workflowId, runId, at: this.clock.now() };
    const issued = await this.via(ISSUE_INVOICE_LOCAL, localWriting).issueInvoice(input);
    return { charged: { ...paidAs(issued), key, on, reason, lines }, collectOn: issued.collectOn };
  }

  /**
   * One collection attempt of an open invoice; each attempt is its own charge key at the provider. `periodStart`: the
   * period (or order) the invoice started, which a refund of it ends.
   */
  async collect(invoice: InvoiceToSettle, attempt: number, paymentMethod: PaymentMethodRef, collectOn?: CollectOn): Promise<Collection> {
    const { invoiceId, key: invoiceKey, periodStart } = invoice;
    try {
      const at = this.clock.now();
      const paid = await this.collectOrReconcile({ invoiceId, attempt, paymentMethod, at }, collectOn === 'local' && this.uses(COLLECT_LOCAL));
      this.paid({ paymentId: paid.paymentId ?? null, invoiceId, invoiceKey, amount: paid.charged, total: paid.total, paidAt: at, ...(periodStart ? { periodStart } : {}) });
      return { paid };
    } catch (error) {
      const declined = declineOf(error);
      if (declined) return { declined };
      const refused = refusalOf(error);
      if (refused) return { refused, failure: error };
      throw error;
    }
  }

  /**
   * The collection, or, when its retries ran out of the charge key's window with the charge unsettled, the
   * provider's record of that charge (paid: recorded once; processing: asked again; none or failed: a decline).
   */
  private async collectOrReconcile(input: CollectInvoiceInput, locally: boolean): Promise<SettledInvoice> {
    if (locally) {
      try {
        return await localCollecting.collectInvoice(input);
      } catch (error) {
        if (declineOf(error) || refusalOf(error)) throw error; // for good; anything else goes on as the activity
      }
    }
    const { collecting, reconciling } = collectionActivities(this.uses(PROVIDER_RATE_LIMIT));
    try {
      return await collecting.collectInvoice(input);
    } catch (error) {
      if (!outOfKeyWindow(error) || !this.uses(COLLECT_RECONCILE)) throw error;
      return reconciling.reconcileCharge(input);
    }
  }

  /** Invoice first: writes the invoice open, due on `dueOn` (with the buyer's purchase order, if any), and collects nothing. */
  async issueOpen(key: string, invoice: Invoice, dueOn: Day, purchaseOrder?: string): Promise<ChargedInvoice> {
    const { charged } = await this.issue(key, invoice, { dueOn, ...(purchaseOrder === undefined ? {} : { purchaseOrder }) }); // a value of the same command: no patch
    return charged;
  }

  /**
   * A bank transfer or card payment received for an open invoice; the same reference twice is one payment. A card
   * payment made at the provider (`provider`) can be refunded there; a transfer (`external`) cannot.
   */
  async recordPayment(invoice: InvoiceToSettle, amount: Cents, method: 'bank_transfer' | 'card', reference: string, provider?: 'stripe'): Promise<InvoiceSummary> {
    const at = this.clock.now();
    const { invoiceId, key: invoiceKey, periodStart } = invoice;
    const paid = await this.writes.markInvoicePaidExternally({ invoiceId, providerPaymentId: reference, amount, method, at, ...(provider ? { provider } : {}) });
    this.paid({ paymentId: provider ? paid.paymentId : null, invoiceId, invoiceKey, amount: paid.charged, total: paid.total, paidAt: at, ...(periodStart ? { periodStart } : {}) });
    return paid;
  }

  /** Invoice first through Stripe: the open invoice sent as a `send_invoice` invoice, once per invoice. */
  async sendProviderInvoice(invoiceId: string, customerId: string): Promise<ProviderInvoiceSent> {
    return billing.sendProviderInvoice({ invoiceId, customerId, at: this.clock.now() });
  }

  /** The provider's invoice voided with ours, or found paid there (then the payment is recorded, not voided). */
  async voidProviderInvoice(invoiceId: string): Promise<ProviderInvoiceClosed> {
    return billing.voidProviderInvoice({ invoiceId });
  }

  async voidInvoice(invoiceId: string): Promise<void> {
    await this.writes.voidInvoice({ invoiceId, at: this.clock.now() });
  }

  async failInvoice(invoiceId: string): Promise<void> {
    await this.writes.failInvoice({ invoiceId, at: this.clock.now() });
  }

  /**
   * Removed members' refunds go to the team balance, used first by the next payment: the sum of `refunds`, the
   * period's percent off already taken by their `discount` line (section 14). Returns the net credited; 0 when nothing
   * was. A 100% off leaves nothing to credit; runs from before refund-fully-discounted credited the whole refund then.
   */
  async creditBalance(key: string, refunds: readonly InvoiceLine[], on: Day): Promise<Cents> {
    let amount = sumCents(refunds.map((line) => line.amount));
    const undiscounted = sumCents(refunds.filter((line) => line.kind !== 'discount').map((line) => line.amount));
    if (amount <= 0 && undiscounted > 0 && !this.uses(REFUND_FULLY_DISCOUNTED)) amount = undiscounted;
    if (amount <= 0) return 0;
    await this.writes.creditTeamBalance({ key: `${key}:member_removed`, teamId: this.teamId, amount, reason: 'member_removed', on });
    return amount;
  }

  /** A refused change's removed-member refunds taken back out of the balance (see creditBalance). */
  async reverseBalanceCredit(key: string, on: Day): Promise<void> {
    await this.writes.reverseTeamBalanceCredit({ key: `${key}:member_removed`, on });
  }

  /**
   * Section 10: an invoice's payment goes back the way it came (card to the card, balance to the balance, credits to
   * their grants), once per key (`<invoice key>:refund`). Payments recorded before balance and credits went back too
   * (no invoice id) refund their card payment alone, as they did.
   */
  async refund(payment: LastPayment): Promise<Refund> {
    const key = `${payment.invoiceKey}:refund`;
    if (!payment.invoiceId) {
      const { refundId, paymentId, amount } = await billing.refundPayment({ key, paymentId: payment.paymentId!, at: this.clock.now() });
      return { refundId, paymentId, amount, balanceReturned: 0, creditsReturned: 0 };
    }
    return billing.refundInvoice({ key, invoiceId: payment.invoiceId, at: this.clock.now() });
  }

  /** Section 13: a paid invoice voided, its money back as a refund's (one path), once per key (`<invoice key>:void`). */
  async voidPaid(invoiceId: string): Promise<VoidedInvoice> {
    return billing.voidPaidInvoice({ invoiceId, at: this.clock.now() });
  }

  /** Evidence for support: a change of the subscription; the run is recorded beside it, never in the key. */
  async audit(key: string, kind: string, payload: Record<string, unknown>, on: Day): Promise<void> {
    await this.writes.recordAudit(this.auditRow(key, kind, payload, on));
  }

  /** An audit row as the activities take it, stamped now; `on` is the business day of the change. */
  auditRow(key: string, kind: string, payload: Record<string, unknown>, on: Day): RecordAuditInput {
    const { workflowId, runId } = workflowInfo();
    return { key, teamId: this.teamId, kind, payload, workflowId, runId, at: this.clock.now(), on };
  }

  /** Audit rows, and the read model's row when the view changed (`version` orders publications), in one local activity. */
  async recordChange(audits: RecordAuditInput[], published: { version: number; view: PublishedSubscriptionView } | null): Promise<void> {
    await local.recordSubscriptionChange({
      teamId: this.teamId, audits, published: published && { ...published, clockOffsetMs: this.clock.offsetMs }, at: this.clock.now(),
    });
  }

  /** The version of the plan's per-member price in force on `on` (section 14), from the ledger's catalog. */
  async priceInForce(plan: PaidPlan, interval: Interval, on: Day): Promise<HeldPrice> {
    const { version, amount } = await local.priceInForce({ plan, interval, on });
    return { version, amount };
  }

  async notify(kind: NotificationKind, on: Day, key: string, payload: Record<string, unknown>): Promise<void> {
    await this.writes.recordNotification({ key: `${key}:${kind}`, teamId: this.teamId, kind, on, payload });
  }
}

function paidAs(summary: InvoiceSummary): Pick<ChargedInvoice, 'invoiceId' | 'number' | 'net' | 'tax' | 'total' | 'balanceApplied' | 'creditsApplied' | 'charged' | 'status'> {
  const { invoiceId, number, net, tax, total, balanceApplied, creditsApplied, charged, status } = summary;
  // A result only: the number and tax go to the caller, never into a command, so no patch is needed.
  return { invoiceId, ...(number === undefined ? {} : { number, net, tax }), total, balanceApplied, creditsApplied, charged, status };
}
