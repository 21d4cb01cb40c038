// Invoice first with Stripe: the `send_invoice` path against stripe-mock. stripe-mock answers from canned fixtures,
// so this checks what we send (spied on the client) and that each step's answer is read, not the amounts it echoes.
import type Stripe from 'stripe';
import { createStripeClient } from '../../src/payments/stripe-client';
import { createStripeInvoices } from '../../src/payments/stripe-invoices';
import { integrationEnv } from '../support/integration-env';

let stripe: Stripe;

beforeAll(() => {
  const { stripeMock } = integrationEnv();
  stripe = createStripeClient({ secretKey: 'sk_test_123', endpoint: { host: stripeMock.host, port: stripeMock.port, protocol: 'http' } });
});

test('an invoice-first seat order is a Stripe invoice collected by send_invoice, due in 30 days, sent once per business key', async () => {
  const create = jest.spyOn(stripe.invoices, 'create');
  const item = jest.spyOn(stripe.invoiceItems, 'create');
  const send = jest.spyOn(stripe.invoices, 'sendInvoice');
  const invoices = createStripeInvoices({ stripe });
  const key = 'team-1:seat_order:2026-01-01';
  const sent = await invoices.sendInvoice({
    idempotencyKey: key, customerId: 'cus_123', daysUntilDue: 30, metadata: { team_id: 'team-1' },
    lines: [{ description: 'Basic, seat order, 10 seats, one year from payment', amount: 108000 }],
  });
  expect(sent.providerInvoiceId).toMatch(/^in_/);
  expect(create).toHaveBeenCalledWith(
    expect.objectContaining({ customer: 'cus_123', collection_method: 'send_invoice', days_until_due: 30, currency: 'usd', auto_advance: false }),
    { idempotencyKey: `${key}:invoice` },
  );
  expect(item).toHaveBeenCalledWith(
    expect.objectContaining({ amount: 108000, currency: 'usd', description: 'Basic, seat order, 10 seats, one year from payment' }),
    { idempotencyKey: `${key}:line:1` },
  );
  expect(send).toHaveBeenCalledWith(expect.any(String), {}, { idempotencyKey: `${key}:send` });
  const voided = await invoices.voidInvoice(sent.providerInvoiceId, key);
  expect(voided).toHaveProperty('status');
});
