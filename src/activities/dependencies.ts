import type { Db } from '../ledger/db';
import type { EmailSettings } from '../email/settings';
import type { PaymentProvider, PaymentProviders } from '../payments/payment-provider';
import type { StripeInvoices } from '../payments/stripe-invoices';
import type { WebhookHttpOptions } from '../webhooks/delivery';
import type { SellerSettings } from './documents';

/** What the billing activities are built with: the ledger, the payment provider(s), and a clock. */
export interface BillingDependencies {
  db: Db;
  /** The engine's provider, or several by name; a payment method or payment row names the one it needs. */
  payments: PaymentProvider | PaymentProviders;
  /** Invoice first for teams paying through Stripe (`send_invoice`); absent without STRIPE_SECRET_KEY. */
  stripeInvoices?: StripeInvoices;
  /** The clock for records whose caller gives no time (audit events); tests pin it. */
  now?: () => Date;
  /** How emails are sent; by default from the environment (SMTP_URL, or .eml files in DATA_DIR). */
  email?: EmailSettings;
  /** Who issues the invoices and credit notes, and where it is established (section 13); DEFAULT_SELLER when absent. */
  seller?: SellerSettings;
  /**
   * PAYMENT_PROVIDER_MAX_RPS, as the worker's charges task queue paces it (src/worker.ts): set, a team's collections go
   * through that queue; unset, issueInvoice answers that its collection may run as a local activity in the workflow task
   * that issued it (collect-local). Give the worker and the activities the same value.
   */
  maxChargesPerSecond?: number;
  /** Webhook HTTP settings; tests shorten the receiver's timeout. */
  webhooks?: Partial<WebhookHttpOptions>;
}
