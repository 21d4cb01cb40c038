// Prepaid API credits (section 12) as one service for the API: usage, refills, balance, alerts, manual invoicing.
import { dayOf } from '../domain/calendar';
import type { Cents } from '../domain/money';
import type { PaymentProvider } from '../payments/payment-provider';
import { listAlerts, readBalance, readLowBalanceSettings, setLowBalanceSettings, setLowBalanceThreshold, type LowBalanceSettings } from '../ledger/credits/api-credit-accounts';
import { manualInvoicing, purchaseApiCredits, type PurchaseRequest } from './api-credit-purchases';
import { consumeApiCredits, type UsageEvent } from '../ledger/credits/api-credit-usage';
import { clockOf, type CreditServiceDeps } from '../ledger/credits/referral-credits';

export interface ApiCreditDeps extends CreditServiceDeps {
  payments: PaymentProvider;
  /** Run after a usage event's low-balance alert (and its webhook event) commits: the API relays the outbox there. */
  afterAlert?: () => Promise<void>;
}

export function apiCredits(deps: ApiCreditDeps) {
  const { db, payments, afterAlert } = deps;
  const now = clockOf(deps);
  return {
    consume: (event: UsageEvent) => consumeApiCredits(db, event, now(), afterAlert),
    purchase: (request: PurchaseRequest) => purchaseApiCredits(db, payments, request, now()),
    balance: (accountId: string) => readBalance(db, accountId),
    alerts: (accountId: string) => listAlerts(db, accountId),
    setLowBalanceThreshold: (accountId: string, threshold: Cents | null) => setLowBalanceThreshold(db, accountId, threshold),
    lowBalanceSettings: (accountId: string) => readLowBalanceSettings(db, accountId),
    setLowBalanceSettings: (settings: LowBalanceSettings) => setLowBalanceSettings(db, settings),
    manualInvoicing: (accountId: string) => manualInvoicing(db, accountId, dayOf(now())),
  };
}

export type ApiCredits = ReturnType<typeof apiCredits>;
