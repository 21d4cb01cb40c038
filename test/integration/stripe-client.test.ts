import { createStripeClient } from '../../src/payments/stripe-client';
import { integrationEnv } from '../support/integration-env';

test('the project Stripe client creates a customer on stripe-mock', async () => {
  const { stripeMock } = integrationEnv();
  const stripe = createStripeClient({ secretKey: 'sk_test_123', endpoint: { ...stripeMock, protocol: 'http' } });
  const customer = await stripe.customers.create(
    { email: 'billing@acme.test', metadata: { team_id: 'team-1' } },
    { idempotencyKey: 'customer:team-1' },
  );
  expect(customer.object).toBe('customer');
  expect(customer.id).toMatch(/^cus_/);
});
