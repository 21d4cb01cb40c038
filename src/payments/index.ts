import type { Config } from '../config';
import type { Db } from '../ledger/db';
import type { PaymentProvider } from './payment-provider';
import { createSandboxProvider } from './sandbox-provider';
import { createStripeClient } from './stripe-client';
import { createStripeInvoices, type StripeInvoices } from './stripe-invoices';
import { createStripeProvider } from './stripe-provider';

export * from './payment-provider';
export { createSandboxProvider, type SandboxProvider } from './sandbox-provider';
export { createStripeProvider, chargeOutcome, providerError } from './stripe-provider';

/** The provider PAYMENT_PROVIDER names: the sandbox (default, in the ledger database) or Stripe. */
export function createPaymentProvider(config: Pick<Config, 'PAYMENT_PROVIDER' | 'STRIPE_SECRET_KEY' | 'SANDBOX_PROVIDER_MAX_RPS'>, db: Db): PaymentProvider {
  if (config.PAYMENT_PROVIDER === 'sandbox') return createSandboxProvider({ db, maxChargesPerSecond: config.SANDBOX_PROVIDER_MAX_RPS });
  if (!config.STRIPE_SECRET_KEY) throw new Error('STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe');
  return createStripeProvider({ stripe: createStripeClient({ secretKey: config.STRIPE_SECRET_KEY }) });
}

/** Stripe's `send_invoice` invoices (invoice-first seat orders of teams paying through Stripe), when a key is set. */
export function createStripeInvoicing(config: Pick<Config, 'STRIPE_SECRET_KEY'>): StripeInvoices | undefined {
  return config.STRIPE_SECRET_KEY ? createStripeInvoices({ stripe: createStripeClient({ secretKey: config.STRIPE_SECRET_KEY }) }) : undefined;
}
