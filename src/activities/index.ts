// The billing engine's side effects, as Temporal activities. Workflows import only the type:
//   const billing = proxyActivities<BillingActivities>({ ... });
// Every input and output is plain JSON; every write is idempotent under a key the caller builds from business
// facts (team, period start, kind), enforced by the ledger's unique constraints.
import { auditActivities } from './audit';
import { balanceActivities } from './balance';
import { collectionActivities } from './collection';
import { creditActivities } from './credits';
import { creditExpiryActivities } from './credit-expiry';
import type { BillingDependencies } from './dependencies';
import { withLedgerRefusalsAsFailures } from './failures';
import { invitationActivities } from './invitations';
import { invoiceActivities } from './invoices';
import { notificationActivities } from './notifications';
import { providerInvoiceActivities } from './provider-invoices';
import { invoiceRefundActivities } from './invoice-refunds';
import { refundActivities } from './refunds';
import { teamActivities } from './teams';
import { sweepActivities, type SweepDependencies } from './sweep';
import { emailActivities } from './emails';
import { webhookActivities } from './webhooks';
import { subscriptionViewActivities } from './subscription-views';
import { pricingActivities } from './pricing';
import { pricePublicationActivities } from './price-publication';

export function createBillingActivities(dependencies: BillingDependencies & Pick<SweepDependencies, 'temporal'>) {
  return withLedgerRefusalsAsFailures({
    ...teamActivities(dependencies),
    ...invoiceActivities(dependencies),
    ...collectionActivities(dependencies),
    ...providerInvoiceActivities(dependencies),
    ...balanceActivities(dependencies),
    ...creditActivities(dependencies),
    ...creditExpiryActivities(dependencies),
    ...notificationActivities(dependencies),
    ...auditActivities(dependencies),
    ...refundActivities(dependencies),
    ...invoiceRefundActivities(dependencies),
    ...invitationActivities(dependencies),
    ...sweepActivities(dependencies),
    ...webhookActivities(dependencies),
    ...emailActivities(dependencies),
    ...subscriptionViewActivities(dependencies),
    ...pricingActivities(dependencies),
    ...pricePublicationActivities(dependencies),
  });
}

export type BillingActivities = ReturnType<typeof createBillingActivities>;

export type { BillingDependencies } from './dependencies';
export type { FailureType } from './failures';
export type { InvoiceStatus } from '../ledger/rows';
export type { EnsureTeamInput, TeamRecord } from './teams';
export type { CloseInvoiceInput, CollectOn, InvoiceLineInput, InvoiceSummary, IssuedInvoice, IssueInvoiceInput } from './invoices';
export type { CollectInvoiceInput, MarkInvoicePaidExternallyInput, PaymentMethodRef } from './collection';
export type { SettledInvoice } from './settlement';
export type { ProviderInvoiceClosed, ProviderInvoiceSent, SendProviderInvoiceInput, VoidProviderInvoiceInput } from './provider-invoices';
export type { BalanceCredit, CreditTeamBalanceInput, LedgerSummary } from './balance';
export type { GrantTeamCreditsInput, TeamCreditGrant } from './credits';
export type { ExpireDueCreditsInput } from './credit-expiry';
export type { RecordNotificationInput } from './notifications';
export type { RecordAuditInput } from './audit';
export type { RecordSubscriptionChangeInput } from './subscription-views';
export type { PaymentRefund, RefundPaymentInput } from './refunds';
export type { InvoiceRefund, RefundInvoiceInput, VoidedInvoice, VoidPaidInvoiceInput } from './invoice-refunds';
export type { PriceInForceInput, RedeemPromotionCodeInput } from './pricing';
export type { TeamsTold, TellTeamsOfPriceInput } from './price-publication';
export type { AcceptBillingManagerInvitationInput, CloseBillingManagerInvitationInput } from './invitations';
