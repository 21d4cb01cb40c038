// What a caller of the credit services did that the ledger refuses. Routes turn each into a problem (4xx);
// anything else is the engine's own failure.
import type { Cents } from '../../domain/money';

export type CreditRefusalCode =
  | 'insufficient_credits' // a contribution larger than what the user holds
  | 'insufficient_api_credits' // a usage event larger than the account's balance
  | 'payment_declined' // a refill the payment provider declined
  | 'payment_rejected' // a refill the payment provider refused as asked (e.g. an unknown payment method)
  | 'payment_method_not_owned' // a payment method not attached to the account's customer
  | 'customer_not_owned' // a customer ID that is not the account's
  | 'unknown_team'
  | 'key_reused'; // an idempotency key sent again with other facts

export class CreditRefusal extends Error {
  override readonly name = 'CreditRefusal';
  constructor(
    readonly code: CreditRefusalCode,
    message: string,
    readonly details: Record<string, Cents | string | null> = {},
  ) {
    super(message);
  }
}

/** The same key must always carry the same facts; otherwise it answers for something else. */
export function assertSameFacts(key: string, stored: object, given: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(given)) {
    if ((stored as Record<string, unknown>)[column] !== value) {
      throw new CreditRefusal('key_reused', `the key ${key} was already used with another ${column}`, { key, field: column });
    }
  }
}
