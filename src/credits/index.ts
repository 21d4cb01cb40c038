// Referral credits and prepaid API credits (issue 7): services over the ledger, used by the API and the
// credit-expiry activities. Pure rules stay in src/domain (credits, manual-invoicing) and low-balance.ts.
export { referralCredits, type CreditServiceDeps, type ReferralCredits } from './referral-credits';
export { apiCredits, type ApiCredits } from './api-credits';
export { expireDueGrants, type ExpiryBatch } from './credit-expiry';
export { CreditRefusal, type CreditRefusalCode } from './errors';
export type { ReferralChannel, Registration, ReferralReward } from './referral-rewards';
export type { Contribution, ContributionRequest } from './contributions';
export type { CreditHistoryEntry, CreditHolder, HistoryPage } from './credit-history';
export type { CreditHoldings } from './credit-holdings';
export type { ApiCreditAlert, ApiCreditBalance } from './api-credit-accounts';
export type { UsageCharge, UsageEvent } from './api-credit-usage';
export type { CreditPurchaseRecord, PurchaseRequest } from './api-credit-purchases';
