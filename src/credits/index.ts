// Referral credits and prepaid API credits (issue 7): services over the ledger, used by the API and the
// credit-expiry activities. Pure rules stay in src/domain (credits, manual-invoicing) and low-balance.ts.
export { referralCredits, type CreditServiceDeps, type ReferralCredits } from '../ledger/credits/referral-credits';
export { apiCredits, type ApiCredits } from './api-credits';
export { expireDueGrants, type ExpiryBatch } from '../ledger/credits/credit-expiry';
export { CreditRefusal, type CreditRefusalCode } from '../ledger/credits/errors';
export type { ReferralChannel, Registration, ReferralReward } from '../ledger/credits/referral-rewards';
export type { Contribution, ContributionRequest } from '../ledger/credits/contributions';
export type { CreditHistoryEntry, CreditHolder, HistoryPage } from '../ledger/credits/credit-history';
export type { CreditHoldings } from '../ledger/credits/credit-holdings';
export type { ApiCreditAlert, ApiCreditBalance, LowBalanceSettings } from '../ledger/credits/api-credit-accounts';
export { MAX_LOW_BALANCE_RECIPIENTS } from '../ledger/credits/low-balance';
export type { UsageCharge, UsageEvent } from '../ledger/credits/api-credit-usage';
export type { CreditPurchaseRecord, PurchaseRequest } from './api-credit-purchases';
