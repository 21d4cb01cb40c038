// Every patch ID the workflows have ever written into a history, with what it guards and the commit that brought it.
// A patch marker in a stored or running history means what it meant when that history was written, forever: an ID is
// never renamed, removed or given a second meaning; a new behaviour gets a new ID. test/workflows/patches.test.ts holds
// this list against test/workflows/patches.lock.json (entries may only be added) and checks that every patched() and
// deprecatePatch() call in src/workflows names one of the constants below. How to add or retire one: README,
// "Changing workflow code".

/** ID → what its marker means in a history (the branch the run took) and when it came. */
export const PATCHES = {
  'serialized-requests':
    'fa9cbbe 2026-11-22. The team workflow runs one request or scheduled event at a time: a waiter woken with others checks again and only the first takes its turn; an update delivered with the start waits for open(). Without it every waiter woken together ran at once.',
  'keep-timer':
    'f45633a 2026-11-22. The main loop keeps one next-event timer while its day stands (NextEventTimer) instead of a new condition timeout per wake-up.',
  'audit-events':
    'f45633a 2026-11-22. A change of the subscription writes an audit row keyed by the per-team auditSequence carried in the state; without it no audit row. Until local-audit or subscription-view, the row is a regular recordAudit activity.',
  'trial-ending-notice':
    '738ebf3 2026-11-22. A trial started under it schedules the trial-ending notice (trialNoticeOn, trial end - 3 days); trials started before it carry no trialNoticeOn and send none.',
  'stripe-seat-invoice':
    '43b6804 2026-11-22. Invoice-first seat orders on a Stripe payment method are sent as a Stripe send_invoice invoice and voided there with ours.',
  'seat-charge-attempts':
    '43b6804 2026-11-22. A declined seat charge retried the same day is a new attempt with its own key (declinedSeatCharge.attempts + 1).',
  'local-audit':
    'adef1ea 2026-11-22, removed 47ee2bc. Audit rows as recordAudit local activities instead of regular activities. Only histories whose subscription-view branch was its first meaning took it; those cannot replay (see SUBSCRIPTION_VIEW).',
  'subscription-view':
    '47ee2bc 2026-11-22 (second meaning, the one it keeps). The records of a change (its audit rows and, when it changed, the read model\'s view) written by one recordSubscriptionChange local activity at the end of each request or event. New runs take it under change-records.',
  'change-records':
    'issue 20, 2026-12-01. The same commands as subscription-view under an ID that has only this meaning: new runs write this marker; histories holding only subscription-view take the same branch.',
  'invoice-sequence':
    'issue 19, 2026-12-01. Business-event keys (invoices, balance credits, the downgrade notice) end in the team\'s event sequence (`:n<k>`, eventSequence carried in the state), so two events of one day are two invoices. Without it keys are `<team>:<kind>:<day>`.',
  'undo-refused-charge':
    'issue 19, 2026-12-01. A collection the provider refuses for good (PaymentRequestRejected, no such provider): a request voids its invoice and fails with nothing changed; a scheduled event\'s charge goes to dunning; a seat charge is declined. Without it the activity\'s failure went on up.',
  'record-confirmed-payment':
    'issue 19, 2026-12-01. A paymentConfirmed signal carrying the provider\'s payment records it on the invoice in dunning (markInvoicePaidExternally) before the team is active again. Without it the signal only ended dunning.',
  'collect-reconcile':
    "issue 19, 2026-12-01. A collection whose retries ran out of the charge key's window (collectInvoice's scheduleToCloseTimeout, 20 hours) is followed by one reconcileCharge activity that looks the charge up at the provider instead of charging again. Before it collections had no such timeout, so no history reaches that point without the marker.",
  'remove-payment-method':
    "issue 25, 2026-12-02. The removePaymentMethod update forgets the card on file (a team on Free with nothing ordered); its marker comes first when it runs, then the view's recordSubscriptionChange local activity. No history before it holds that update.",
  coupons:
    'issue 23, 2026-12-02. A team holding a coupon (redeemed by the redeemCode update, whose redeemPromotionCode activity comes after the marker) has its discount line on each subscription invoice it applies to. Histories without the marker hold no coupon.',
  'price-versions':
    'issue 23, 2026-12-02. A pricePublished signal that changes the team\'s price records its price_change_notice (recordNotification) after the marker; the renewal it names prices the period at the new version. Histories without the marker never had a price published to them.',
  'pricing-view':
    'issue 23, 2026-12-02. The published view (recordSubscriptionChange) carries the held coupon and the scheduled price change, so it changes, and is written, when they do; the marker is taken at the first change after the team has either, and state.pricingView remembers it. Without it the view has neither.',
  'charges-queue':
    "issue 24, 2026-12-02. A collection (collectInvoice) is scheduled on the charges task queue (`<task queue>-charges`, src/workflows/charges-queue.ts), which the server dispatches at most PAYMENT_PROVIDER_MAX_RPS a second across every worker. Without it collections ran on the team workflow's own task queue.",
  'order-awaiting-payment':
    "issue 19, 2026-12-02. While a seat order bought invoice first awaits its payment, a trial or subscription is refused (section 7: one system at a time); the marker is taken when a request's second check, after the day's events, finds the order. Without it the subscription started and the paid order later began over it.",
  'price-in-force':
    "issue 23, 2026-12-02. A team that subscribes, starts a trial or changes plan or interval (an immediate change, or a trial's plan) takes the price in force that day from the ledger's catalog: a priceInForce local activity after the marker, before the invoice; it holds that version (state.price) and its period line records it, and trial end charges the price the trial took. Without it those points charged the code catalog's price.",
  'refund-fully-discounted':
    "issue 23, 2026-12-02. A removed members' refund is reduced by the percent off of the invoice that billed its period (section 14); when a 100% off takes all of it, nothing is credited and no creditTeamBalance activity runs, the marker taken in its place. Without the marker (runs from before) the refund was credited whole there, so the activity runs.",
  'void-paid-invoice':
    'issue 22, 2026-12-02. The voidPaidInvoice update (the platform voids a paid invoice issued in error): its marker comes first, then the voidPaidInvoice activity, then what ending the period the invoice started writes (as a refund). No history before it holds that update.',
  'deferred-change-price-in-force':
    "issue 23, 2026-12-02. A renewal that applies a pending change of plan or interval (a tier down or annual → monthly at the period's end) takes the price in force that day for the new plan and interval from the ledger's catalog (section 14: a change of plan or interval): a priceInForce local activity after the marker, before the renewal's invoice; the team holds that version and the period line records it. Without it (runs from before) that renewal charged the code catalog's price.",
  'provider-rate-limit':
    "issue 24, 2026-12-02. A collection's activities (collectInvoice, and reconcileCharge after it) are scheduled on the charges task queue (`<workflow's task queue>-charges`, src/workflows/charges-queue.ts), which the server dispatches at most PAYMENT_PROVIDER_MAX_RPS a second across every worker; the marker comes before the collectInvoice activity. Without it (runs from before) they ran on the team workflow's own task queue. Replaces charges-queue, whose branch no deployed run took.",
  'patches-at-start':
    "issue 24, 2026-12-03. The run decides every patch of the team workflow at its first activation, before any local activity, its markers first in the history (src/workflows/team/run-patches.ts), and carries the IDs it takes in state.patches; a run carried with them asks only for patches newer than the set, so it records no marker for the others. Without it (runs from before) each patch is asked where its code runs: a patch first asked after a local activity's result was decided on replay by the workflow task that result came back in, which under cache eviction with a query waiting was the one before its marker (keep-timer failed replay for 13 of 200 teams).",
  'issue-invoice-local':
    "issue 24, 2026-12-03. A team's invoice (issueInvoice, in charge and issueOpen) is written by a local activity: its marker in the workflow task that then schedules the collection, where runs from before scheduled an issueInvoice activity and collected in the next workflow task. The run decides it at its start (run-patches.ts), so a run in flight when it was deployed keeps the activity until it continues as new.",
  'carry-published':
    "issue 24, 2026-12-03. A run carries what it last published into the next (state.published: the search attributes' values and the read model view's fingerprint), and the next run publishes them again only when they changed: a run continued as new after a renewal starts without an UpsertWorkflowSearchAttributes (the server carries them over) and without the recordSubscriptionChange local activity that wrote the same view again. Without it (runs from before, and the first run carried from one) each run upserted and published at its start.",
  'collect-local':
    "issue 24, 2026-12-03. A team's charge (TeamLedger.charge: a subscription, renewal, plan change or seat order paid by card) is collected by a collectInvoice local activity in the workflow task that issued its invoice, when issueInvoice's answer (recorded in its marker) says collectOn 'local': the deployment sets no PAYMENT_PROVIDER_MAX_RPS. One attempt: unless paid or declined (or refused) at once, the charges-queue activity follows under the same key. It answers 'charges-queue' when one is set, and the collection is the activity on the charges task queue as before. Without it (runs from before, and runs whose answer has no collectOn) collections are that activity. A renewal is then one workflow task: its timer's, which issues, collects, records and continues as new.",
  'records-after-answer':
    "issue 24, 2026-12-04. A team's request (an update) answers as soon as its change is made: the answer carries the view it published (version, view, clock offset), which the API writes to the read model before it answers in turn, and the change's records (audit rows, view) are written by the run's records timer, started in the workflow task that completes the update (so as durable as the update), one second later, with every change made meanwhile, and before the run continues as new. Without it (runs from before) a request's records local activity ran before its answer. A refused request, a signal and a scheduled event write their records before they end, as before.",
  'records-in-bursts':
    "issue 24, 2026-12-04. Under records-after-answer, a request answers before its records only in a burst of the team's requests: when the records timer is running or the team's previous request was answered less than 250 ms of workflow time before; then its answer carries its view and the records timer writes the burst's records together. An isolated request writes its records before it answers, in its one workflow task, as before records-after-answer, and its answer carries no view. Without it (runs that took records-after-answer alone) every request answered first and started or joined the records timer.",
  'ensure-team-local':
    "issue 24, 2026-12-04. A new run writes the team's ledger row (ensureTeam) by a local activity in its first workflow task, where runs from before scheduled an ensureTeam activity and went on in the next workflow task once it completed.",
  'records-to-waiting-turn':
    "issue 24, 2026-12-04. A turn that answers no request (open(), a scheduled event, a signal) ending while a request waits for its turn leaves its records (audit rows, view) and its operator view to that request's turn, which writes them with its own (before its answer, or by the records timer): an update delivered with the start (update-with-start) writes one records local activity and one search-attribute upsert, not two of each. Without it (runs from before) every turn wrote its own.",
  'patch-set-records-to-waiting-turn':
    "issue 24, 2026-12-04. A new run's one patch marker, first in its history: it stands for patches-at-start and every patch of TEAM_PATCHES from serialized-requests through records-to-waiting-turn (the first 28, src/workflows/team/run-patches.ts), which the run takes and carries in state.patches; it asks each later patch by its own marker. Without it (runs from before) a new run wrote one marker for patches-at-start and one for each patch it took, each with the TemporalChangeVersion upsert Core adds: 54 events in its first workflow task.",
  'ledger-writes-local':
    "issue 24, 2026-12-04. A team's writes of its own ledger (creditTeamBalance and reverseTeamBalanceCredit, recordNotification, recordAudit, voidInvoice, failInvoice, markInvoicePaidExternally) are local activities, their markers in the workflow task that made the change, where runs from before scheduled activities and went on in the next workflow task: a renewal that credits removed members' refunds to the balance, or whose card declines (the payment_failed notice), is one workflow task, not two and an activity task. The provider's calls (collections paced by a limit, refunds, Stripe invoices) stay activities. The run decides it at its start (run-patches.ts).",
  'patch-set-ledger-writes-local':
    "issue 24, 2026-12-04. A new run's one patch marker, first in its history: it stands for patches-at-start and every patch of TEAM_PATCHES from serialized-requests through ledger-writes-local (the first 29, src/workflows/team/run-patches.ts), which the run takes and carries in state.patches; it asks each later patch by its own marker. Without it (runs from before) a new run wrote patch-set-records-to-waiting-turn's marker and one for ledger-writes-local, each with the TemporalChangeVersion upsert Core adds.",
} as const;

export type PatchId = keyof typeof PATCHES;

/** One request or scheduled event at a time (src/workflows/team/payment-requests.ts). */
export const SERIALIZED_REQUESTS: PatchId = 'serialized-requests';
/** The next-event timer kept while its day stands. */
export const KEEP_TIMER: PatchId = 'keep-timer';
/** An audit row per change of the subscription. */
export const AUDIT_EVENTS: PatchId = 'audit-events';
/** Trials schedule the trial-ending notice. */
export const TRIAL_ENDING_NOTICE: PatchId = 'trial-ending-notice';
/** Stripe send_invoice for invoice-first seat orders. */
export const STRIPE_SEAT_INVOICE: PatchId = 'stripe-seat-invoice';
/** A declined seat charge retried as a new attempt. */
export const SEAT_CHARGE_ATTEMPTS: PatchId = 'seat-charge-attempts';
/**
 * A change's records in one recordSubscriptionChange local activity, as histories written from 47ee2bc hold it.
 * Its first meaning (adef1ea to 618d6a7: the view by its own publishSubscriptionView local activity, each audit row by
 * a recordAudit local activity under local-audit) cannot be kept beside the second: both kinds of history reach their
 * first such command in the run's first workflow task, with the same markers and the same input shape, so nothing the
 * workflow can read tells them apart there, and Core 1.24 checks a local activity's type against its marker
 * (CoreInternalFlags::IdAndTypeDeterminismChecks, recorded in both). The second meaning is kept because every
 * history on main since 47ee2bc and every run started since holds it; runs of the first meaning failed replay from
 * the deploy of 47ee2bc on. test/workflows/replay.test.ts pins that read-model-and-local-audit.json fails there.
 */
export const SUBSCRIPTION_VIEW: PatchId = 'subscription-view';
/** The records of a change, for runs started from issue 20 on (same commands as SUBSCRIPTION_VIEW). */
export const CHANGE_RECORDS: PatchId = 'change-records';
/** Business-event keys carry the team's event sequence (src/workflows/team/ledger.ts). */
export const INVOICE_SEQUENCE: PatchId = 'invoice-sequence';
/** A collection refused for good: a request is undone, a scheduled charge dunned (src/workflows/team/payment-requests.ts). */
export const UNDO_REFUSED_CHARGE: PatchId = 'undo-refused-charge';
/** A payment confirmed by webhook is recorded on the invoice in dunning. */
export const RECORD_CONFIRMED_PAYMENT: PatchId = 'record-confirmed-payment';
/** A collection out of its key's window is reconciled at the provider, never charged again (src/workflows/team/ledger.ts). */
export const COLLECT_RECONCILE: PatchId = 'collect-reconcile';
/** The card on file removed by the removePaymentMethod update (src/workflows/team/payment-requests.ts). */
export const REMOVE_PAYMENT_METHOD: PatchId = 'remove-payment-method';
/** A held coupon's discount line on subscription invoices (src/workflows/team/discounts.ts). */
export const COUPONS: PatchId = 'coupons';
/** A published price's notice, and the renewal that takes it (src/workflows/team/price-changes.ts). */
export const PRICE_VERSIONS: PatchId = 'price-versions';
/** The published view shows the coupon and the price change (src/workflows/team/subscription.ts). */
export const PRICING_VIEW: PatchId = 'pricing-view';
/** A trial or subscription refused while a seat order awaits its payment (src/workflows/team/subscription.ts). */
export const ORDER_AWAITING_PAYMENT: PatchId = 'order-awaiting-payment';
/** A new subscription, trial or plan change takes the price in force from the ledger (src/workflows/team/price-changes.ts). */
export const PRICE_IN_FORCE: PatchId = 'price-in-force';
/** A removed members' refund wholly taken by the period's 100% off credits nothing (src/workflows/team/ledger.ts). */
export const REFUND_FULLY_DISCOUNTED: PatchId = 'refund-fully-discounted';
/** A paid invoice voided by the voidPaidInvoice update (src/workflows/team/payment-requests.ts). */
export const VOID_PAID_INVOICE: PatchId = 'void-paid-invoice';
/** A renewal applying a pending change of plan or interval takes the price in force that day (src/workflows/team/scheduled-events.ts). */
export const DEFERRED_CHANGE_PRICE_IN_FORCE: PatchId = 'deferred-change-price-in-force';
/** A collection's activities on the rate-limited charges task queue (src/workflows/team/ledger.ts). */
export const PROVIDER_RATE_LIMIT: PatchId = 'provider-rate-limit';
/** An invoice is written by a local activity, inside the workflow task that then collects it (src/workflows/team/ledger.ts). */
export const ISSUE_INVOICE_LOCAL: PatchId = 'issue-invoice-local';
/** What a run last published is carried into the next, which does not publish it again (src/workflows/team/change-records.ts). */
export const CARRY_PUBLISHED: PatchId = 'carry-published';
/** A charge collected by a local activity when the deployment does not pace its provider calls (src/workflows/team/ledger.ts). */
export const COLLECT_LOCAL: PatchId = 'collect-local';
/** A request answers before its records, which its run's records timer writes (src/workflows/team/change-records.ts). */
export const RECORDS_AFTER_ANSWER: PatchId = 'records-after-answer';
/** Only a request in a burst answers before its records; an isolated one writes them first (src/workflows/team/change-records.ts). */
export const RECORDS_IN_BURSTS: PatchId = 'records-in-bursts';
/** Every patch decided at the run's start and carried into the next run (src/workflows/team/run-patches.ts). */
export const PATCHES_AT_START: PatchId = 'patches-at-start';
/** The team's ledger row written by a local activity (src/workflows/team/ledger.ts). */
export const ENSURE_TEAM_LOCAL: PatchId = 'ensure-team-local';
/** A turn that answers nothing leaves its records to a request waiting for its turn (src/workflows/team/lifecycle.ts). */
export const RECORDS_TO_WAITING_TURN: PatchId = 'records-to-waiting-turn';
/** One marker for patches-at-start and every team patch through records-to-waiting-turn (src/workflows/team/run-patches.ts). */
export const PATCH_SET_RECORDS_TO_WAITING_TURN: PatchId = 'patch-set-records-to-waiting-turn';
/** The team's writes of its own ledger are local activities; the provider's calls stay activities (src/workflows/team/ledger.ts). */
export const LEDGER_WRITES_LOCAL: PatchId = 'ledger-writes-local';
/** One marker for patches-at-start and every team patch through ledger-writes-local (src/workflows/team/run-patches.ts). */
export const PATCH_SET_LEDGER_WRITES_LOCAL: PatchId = 'patch-set-ledger-writes-local';
