import { PaymentDeclined, PaymentRequestRejected } from '../../src/payments/payment-provider';
import { ownedPaymentMethod, ownerCustomer } from '../../src/payments/provider-customers';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

const charge = (key: string, paymentMethodId: string, amount = 9000) =>
  createSandboxProvider({ db: testDb.db }).charge({ idempotencyKey: key, amount, paymentMethodId });

test('pm_card_visa, and any pm_card_* not listed, is charged', async () => {
  await expect(charge('visa', 'pm_card_visa')).resolves.toEqual({ providerPaymentId: expect.stringMatching(/^ch_sandbox_/), amount: 9000 });
  await expect(charge('mastercard', 'pm_card_mastercard', 1)).resolves.toMatchObject({ amount: 1 });
});

test.each([
  ['pm_card_chargeDeclined', 'card_declined'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
])('%s is declined with %s, and declined again under the same key', async (paymentMethodId, code) => {
  for (let i = 0; i < 2; i++) {
    const error = await charge(`declined:${code}`, paymentMethodId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentDeclined);
    expect(error).toMatchObject({ code });
  }
  const rows = await testDb.db('sandbox_charges').where({ idempotency_key: `declined:${code}` });
  expect(rows).toEqual([expect.objectContaining({ status: 'declined', decline_code: code, amount: 9000 })]);
});

test('the same key returns the same charge, after a restart too, and is refused for another charge', async () => {
  const first = await charge('same-key', 'pm_card_visa');
  const afterRestart = await createSandboxProvider({ db: testDb.db }).charge({ idempotencyKey: 'same-key', amount: 9000, paymentMethodId: 'pm_card_visa' });
  expect(afterRestart).toEqual(first);
  await expect(charge('same-key', 'pm_card_visa', 9001)).rejects.toBeInstanceOf(PaymentRequestRejected);
  expect(await testDb.db('sandbox_charges').where({ idempotency_key: 'same-key' })).toHaveLength(1);
});

test('declineNextCharges declines the next N charges to a payment method, remembered across restarts', async () => {
  await createSandboxProvider({ db: testDb.db }).declineNextCharges('pm_card_visa_dunning', 2, 'insufficient_funds');
  await expect(charge('dunning:1', 'pm_card_visa_dunning')).rejects.toMatchObject({ code: 'insufficient_funds' });
  await expect(charge('dunning:2', 'pm_card_visa_dunning')).rejects.toMatchObject({ code: 'insufficient_funds' });
  await expect(charge('dunning:3', 'pm_card_visa_dunning')).resolves.toMatchObject({ amount: 9000 });
  await expect(charge('dunning:4', 'pm_card_visa_dunning')).resolves.toMatchObject({ amount: 9000 });
});

test('refunds, partial then the rest, are recorded against the charge once per key', async () => {
  const sandbox = createSandboxProvider({ db: testDb.db });
  const { providerPaymentId } = await charge('refunded', 'pm_card_visa', 10800);
  const partial = await sandbox.refund({ idempotencyKey: 'refund:1', providerPaymentId, amount: 1006 });
  expect(await sandbox.refund({ idempotencyKey: 'refund:1', providerPaymentId, amount: 1006 })).toEqual(partial);
  expect(await testDb.db('sandbox_charges').where({ id: providerPaymentId }).first()).toMatchObject({ refunded_amount: 1006, status: 'succeeded' });

  await expect(sandbox.refund({ idempotencyKey: 'refund:too-much', providerPaymentId, amount: 9795 })).rejects.toMatchObject({ code: 'amount_too_large' });
  const rest = await sandbox.refund({ idempotencyKey: 'refund:2', providerPaymentId });
  expect(rest).toEqual({ providerRefundId: expect.stringMatching(/^re_sandbox_/), amount: 9794 });
  expect(await testDb.db('sandbox_charges').where({ id: providerPaymentId }).first()).toMatchObject({ refunded_amount: 10800, status: 'refunded' });
  expect(await testDb.db('sandbox_refunds').where({ charge_id: providerPaymentId })).toHaveLength(2);
});

test('200 concurrent charges under one key make one charge', async () => {
  const results = await Promise.all(Array.from({ length: 200 }, () => charge('concurrent', 'pm_card_visa')));
  expect(new Set(results.map((r) => r.providerPaymentId)).size).toBe(1);
  expect(await testDb.db('sandbox_charges').where({ idempotency_key: 'concurrent' })).toHaveLength(1);
});

test('a customer id follows from its key', async () => {
  const sandbox = createSandboxProvider({ db: testDb.db });
  const customer = await sandbox.createCustomer({ idempotencyKey: 'customer:team-1', teamId: 'team-1' });
  expect(customer.customerId).toMatch(/^cus_sandbox_/);
  expect(await sandbox.createCustomer({ idempotencyKey: 'customer:team-1', teamId: 'team-1' })).toEqual(customer);
});

test('a charge is found by its key without charging: paid, declined, or none', async () => {
  const sandbox = createSandboxProvider({ db: testDb.db });
  const paid = await charge('lookup:paid', 'pm_card_visa', 3600);
  await expect(sandbox.findCharge({ idempotencyKey: 'lookup:paid', amount: 3600, paymentMethodId: 'pm_card_visa' })).resolves.toEqual(paid);
  await charge('lookup:declined', 'pm_card_chargeDeclined').catch(() => undefined);
  await expect(sandbox.findCharge({ idempotencyKey: 'lookup:declined', amount: 9000, paymentMethodId: 'pm_card_chargeDeclined' })).rejects.toMatchObject({ code: 'card_declined' });
  await expect(sandbox.findCharge({ idempotencyKey: 'lookup:none', amount: 9000, paymentMethodId: 'pm_card_visa' })).resolves.toBeNull();
  expect(await testDb.db('sandbox_charges').where('idempotency_key', 'like', 'lookup:%')).toHaveLength(2);
});

test("a team's customer is made once and kept in the ledger, however many ask at once", async () => {
  const sandbox = createSandboxProvider({ db: testDb.db });
  let created = 0;
  const counting = { ...sandbox, createCustomer: (request: Parameters<typeof sandbox.createCustomer>[0]) => { created += 1; return sandbox.createCustomer(request); } };
  const owner = { kind: 'team', id: 'team-customer' } as const;
  const customers = await Promise.all(Array.from({ length: 20 }, () => ownerCustomer(testDb.db, counting, owner)));
  expect(new Set(customers).size).toBe(1);
  expect(created).toBe(1);
  expect(await testDb.db('provider_customers').where({ owner_id: 'team-customer' }).select('owner_kind', 'provider', 'customer_id')).toEqual([
    { owner_kind: 'team', provider: 'sandbox', customer_id: customers[0] },
  ]);
  // Sandbox test cards are shared tokens: any owner may use one; a customer ID must still be the owner's own.
  await expect(ownedPaymentMethod(testDb.db, sandbox, owner, { paymentMethodId: 'pm_card_visa', customerId: customers[0] })).resolves.toEqual({
    paymentMethodId: 'pm_card_visa', customerId: customers[0],
  });
  await expect(ownedPaymentMethod(testDb.db, sandbox, { kind: 'api_credit_account', id: 'someone' }, { paymentMethodId: 'pm_card_visa', customerId: customers[0] }))
    .rejects.toMatchObject({ name: 'ProviderIdNotOwned', field: 'customerId' });
});
