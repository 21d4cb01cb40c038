import type { Db } from '../db/knex';
import type { PaymentProvider, PaymentProviders } from '../payments/payment-provider';

/** What the billing activities are built with: the ledger, the payment provider(s), and a clock. */
export interface BillingDependencies {
  db: Db;
  /** The engine's provider, or several by name; a payment method or payment row names the one it needs. */
  payments: PaymentProvider | PaymentProviders;
  /** The clock for records whose caller gives no time (audit events); tests pin it. */
  now?: () => Date;
}
