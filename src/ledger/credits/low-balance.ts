// The low-balance alert (section 12, beyond the source): one notification per crossing, not one per event.
// Pure, so the rule reads and tests alone; the ledger keeps `armed` beside the balance.
import type { Cents } from '../../domain/money';

export interface LowBalanceState {
  balance: Cents;
  /** Null: the account asked for no alert. */
  threshold: Cents | null;
  /** True until an alert is sent; a refill re-arms it. */
  armed: boolean;
}

/** Usage that leaves the balance below the threshold alerts, once, if the alert is armed. */
export function crossesLowBalance(state: LowBalanceState): boolean {
  return state.armed && state.threshold !== null && state.balance < state.threshold;
}

/** Whether the alert is armed at this balance: no longer below the threshold (or no threshold at all). */
export function armedAt(balance: Cents, threshold: Cents | null): boolean {
  return threshold === null || balance >= threshold;
}

/** Addresses an account may name beside its owner: the people who buy its credits, not a mailing list. */
export const MAX_LOW_BALANCE_RECIPIENTS = 10;
