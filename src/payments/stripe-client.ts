import Stripe from 'stripe';

export interface StripeConfig {
  secretKey: string;
  /** stripe-mock in tests: `{ host: '127.0.0.1', port: 12111, protocol: 'http' }`. */
  endpoint?: { host: string; port: number; protocol: 'http' | 'https' };
}

/** The one place a Stripe client is made. Retries are the SDK's, under the idempotency keys we pass. */
export function createStripeClient(config: StripeConfig): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(config.endpoint ?? {}),
  });
}
