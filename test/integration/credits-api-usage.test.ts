import { apiCredits, CreditRefusal, type ApiCredits } from '../../src/credits';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Prepaid API credits on the real Postgres: atomic usage, idempotent keys, on-purpose refills, alerts.
let testDb: TestDatabase;
let clock: Date;
let credits: ApiCredits;

beforeAll(async () => {
  testDb = await createTestDatabase();
  clock = new Date('2026-05-20T10:00:00Z');
  credits = apiCredits({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), now: () => clock });
});
afterAll(() => testDb.drop());

const visa = 'pm_card_visa';
const refill = (accountId: string, purchaseId: string, amount: number) => credits.purchase({ accountId, purchaseId, amount, paymentMethodId: visa });
const refusalOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof CreditRefusal ? error : Promise.reject(error)));

test('200 concurrent usage events against a balance covering exactly 150: 150 succeed, 50 are refused, the balance ends at zero', async () => {
  await refill('acct-race', 'refill-1', 150 * 7);
  const events = Array.from({ length: 200 }, (_, i) => credits.consume({ accountId: 'acct-race', idempotencyKey: `evt-${i}`, amount: 7 }));
  const outcomes = await Promise.allSettled(events);
  const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
  const refused = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof CreditRefusal && o.reason.code === 'insufficient_api_credits');
  expect(succeeded).toHaveLength(150);
  expect(refused).toHaveLength(50);
  expect((await credits.balance('acct-race')).balance).toBe(0);
  const usage = await testDb.db('api_credit_usage').where({ account_id: 'acct-race' }).count({ n: '*' }).first();
  expect(Number(usage?.n)).toBe(150);
}, 60_000);

test('the same usage key twice is charged once, and answers the same', async () => {
  await refill('acct-idem', 'refill-1', 1000);
  const first = await credits.consume({ accountId: 'acct-idem', idempotencyKey: 'evt-1', amount: 300 });
  const [again, concurrent] = await Promise.all([
    credits.consume({ accountId: 'acct-idem', idempotencyKey: 'evt-1', amount: 300 }),
    credits.consume({ accountId: 'acct-idem', idempotencyKey: 'evt-1', amount: 300 }),
  ]);
  expect(first).toMatchObject({ balanceAfter: 700, replayed: false });
  expect(again).toMatchObject({ balanceAfter: 700, replayed: true });
  expect(concurrent).toMatchObject({ balanceAfter: 700, replayed: true });
  expect((await credits.balance('acct-idem')).balance).toBe(700);
});

test('a charged key sent again once the balance is spent is still a replay, not a refusal', async () => {
  await refill('acct-spent', 'refill-1', 500);
  await credits.consume({ accountId: 'acct-spent', idempotencyKey: 'evt-all', amount: 500 });
  await expect(credits.consume({ accountId: 'acct-spent', idempotencyKey: 'evt-all', amount: 500 })).resolves.toMatchObject({ replayed: true, balanceAfter: 0 });
  const reused = await refusalOf(credits.consume({ accountId: 'acct-spent', idempotencyKey: 'evt-all', amount: 1 }));
  expect(reused?.code).toBe('key_reused');
});

test('an event that would go below zero is refused with the balance, and consumes nothing', async () => {
  await refill('acct-short', 'refill-1', 250);
  const refused = await refusalOf(credits.consume({ accountId: 'acct-short', idempotencyKey: 'evt-big', amount: 251 }));
  expect(refused).toMatchObject({ code: 'insufficient_api_credits', details: { balance: 250, asked: 251 } });
  expect(refused?.message).toMatch(/needs 251 cents of API credits; the balance is 250/);
  expect((await credits.balance('acct-short')).balance).toBe(250);
  expect(await testDb.db('api_credit_usage').where({ account_id: 'acct-short' })).toHaveLength(0);
  // An account that never bought anything has a zero balance and is refused the same way.
  await expect(refusalOf(credits.consume({ accountId: 'acct-none', idempotencyKey: 'evt', amount: 1 }))).resolves.toMatchObject({ code: 'insufficient_api_credits' });
});

test('the balance endpoint shows the balance and the last usage in real time', async () => {
  await refill('acct-live', 'refill-1', 1000);
  expect(await credits.balance('acct-live')).toEqual({ accountId: 'acct-live', balance: 1000, lowBalanceThreshold: null, lastUsage: null });
  await credits.consume({ accountId: 'acct-live', idempotencyKey: 'evt-9', amount: 40 });
  expect(await credits.balance('acct-live')).toEqual({
    accountId: 'acct-live', balance: 960, lowBalanceThreshold: null, lastUsage: { at: '2026-05-20T10:00:00Z', amount: 40, idempotencyKey: 'evt-9' },
  });
});

test('a refill is a charge through the provider under its purchase id: retried, it charges and credits once', async () => {
  const first = await refill('acct-buy', 'checkout-17', 5000);
  const again = await refill('acct-buy', 'checkout-17', 5000);
  expect(first).toMatchObject({ amount: 5000, balanceAfter: 5000, replayed: false });
  expect(again).toMatchObject({ providerPaymentId: first.providerPaymentId, replayed: true });
  expect(await testDb.db('sandbox_charges').where({ idempotency_key: 'api-credits:acct-buy:purchase:checkout-17' })).toHaveLength(1);
  expect((await credits.balance('acct-buy')).balance).toBe(5000);
  const declined = await refusalOf(credits.purchase({ accountId: 'acct-buy', purchaseId: 'checkout-18', amount: 5000, paymentMethodId: 'pm_card_chargeDeclined' }));
  expect(declined?.code).toBe('payment_declined');
  expect((await credits.balance('acct-buy')).balance).toBe(5000);
});

test('low balance: one alert per crossing, not per event; a refill above the threshold re-arms it', async () => {
  await refill('acct-low', 'refill-1', 1000);
  await credits.setLowBalanceThreshold('acct-low', 500);
  const use = (key: string, amount: number) => credits.consume({ accountId: 'acct-low', idempotencyKey: key, amount });
  await use('e1', 400); // 600: above
  await use('e2', 200); // 400: crossed
  await use('e3', 100); // 300: still below, no new alert
  await use('e4', 100); // 200
  const alerts = () => testDb.db('api_credit_alerts').where({ account_id: 'acct-low' }).orderBy('id').select('idempotency_key', 'balance', 'threshold');
  expect(await alerts()).toEqual([{ idempotency_key: 'acct-low:low_balance:1', balance: 400, threshold: 500 }]);

  await refill('acct-low', 'refill-2', 200); // 400: still below, stays quiet
  await use('e5', 50);
  expect(await alerts()).toHaveLength(1);
  await refill('acct-low', 'refill-3', 600); // 950: re-armed
  await use('e6', 500); // 450: crossed again
  await use('e7', 10);
  expect(await alerts()).toEqual([
    { idempotency_key: 'acct-low:low_balance:1', balance: 400, threshold: 500 },
    { idempotency_key: 'acct-low:low_balance:2', balance: 450, threshold: 500 },
  ]);
});

test('a crossing records exactly one credits.low_balance webhook event, under the alert key, and starts its deliveries after the commit', async () => {
  await testDb.db('webhook_endpoints').insert({ id: 'we_low', url: 'https://example.com/hook', secret: 'whsec_test', event_types: JSON.stringify(['credits.low_balance']), status: 'active' });
  const relayed: number[] = [];
  const relaying = apiCredits({
    db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), now: () => clock,
    // After the commit: a separate connection already sees the event.
    afterAlert: async () => { relayed.push(Number((await testDb.db('webhook_events').where({ type: 'credits.low_balance' }).where('idempotency_key', 'like', 'acct-hook:%').count({ n: '*' }).first())?.n)); },
  });
  await refill('acct-hook', 'refill-1', 1000);
  await relaying.setLowBalanceThreshold('acct-hook', 500);
  const use = (key: string, amount: number) => relaying.consume({ accountId: 'acct-hook', idempotencyKey: key, amount });
  await use('e1', 600); // 400: crossed
  await use('e2', 100); // still below: no new event
  await use('e1', 600); // a replay: nothing more
  const events = await testDb.db('webhook_events').where({ type: 'credits.low_balance' }).where('idempotency_key', 'like', 'acct-hook:%');
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    idempotency_key: 'acct-hook:low_balance:1:credits.low_balance', team_id: null,
    data: { accountId: 'acct-hook', alertKey: 'acct-hook:low_balance:1', crossing: 1, balance: 400, threshold: 500 },
  });
  expect(await testDb.db('webhook_deliveries').where({ event_id: events[0].id, endpoint_id: 'we_low' })).toHaveLength(1);
  expect(relayed).toEqual([1]);
  expect(await relaying.alerts('acct-hook')).toEqual([
    { idempotencyKey: 'acct-hook:low_balance:1', kind: 'low_balance', balance: 400, threshold: 500, at: '2026-05-20T10:00:00Z' },
  ]);
  // No user owns acct-hook and it named no recipients: nobody to tell, so no email is queued.
  expect(await testDb.db('document_emails').where('idempotency_key', 'like', 'acct-hook:%')).toEqual([]);
  await testDb.db('webhook_deliveries').where({ endpoint_id: 'we_low' }).delete();
  await testDb.db('webhook_endpoints').where({ id: 'we_low' }).delete();
});

test('manual invoicing counts purchases by calendar month, across month boundaries', async () => {
  const buyAt = async (at: string, purchaseId: string, amount: number) => {
    const buyer = apiCredits({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), now: () => new Date(at) });
    await buyer.purchase({ accountId: 'acct-invoice', purchaseId, amount, paymentMethodId: visa });
  };
  await buyAt('2026-01-31T23:59:59Z', 'jan', 100_000); // January: outside the window below
  await buyAt('2026-02-01T00:00:00Z', 'feb', 100_000);
  await buyAt('2026-03-31T23:59:59Z', 'mar', 100_000);
  await buyAt('2026-04-01T00:00:00Z', 'apr-a', 60_000);
  await buyAt('2026-04-30T23:59:59Z', 'apr-b', 40_000);
  await buyAt('2026-05-01T00:00:00Z', 'may', 100_000); // May is not a full month on May 20
  const onDay = (day: string) => apiCredits({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), now: () => new Date(`${day}T12:00:00Z`) }).manualInvoicing('acct-invoice');

  expect(await onDay('2026-05-20')).toEqual({
    eligible: true,
    months: [{ month: '2026-02', purchased: 100_000 }, { month: '2026-03', purchased: 100_000 }, { month: '2026-04', purchased: 100_000 }],
    reason: null,
  });
  // On April 30, the window is January to March: March's purchase at 23:59:59 counts, April's do not.
  expect(await onDay('2026-04-30')).toMatchObject({ eligible: true, months: [{ month: '2026-01' }, { month: '2026-02' }, { month: '2026-03' }] });
  // On June 1 the window is March to May, all at 100,000 or more.
  expect((await onDay('2026-06-01')).eligible).toBe(true);
  // On July 1, June had no purchases.
  expect(await onDay('2026-07-01')).toMatchObject({ eligible: false, reason: 'credit purchases were below $1,000 in 2026-06' });
});

test('a refill whose answer is lost after the provider charged stays pending, and the same request completes it once', async () => {
  const sandbox = createSandboxProvider({ db: testDb.db });
  let loseAnswer = true;
  let charges = 0;
  const flaky = {
    ...sandbox,
    async charge(request: Parameters<typeof sandbox.charge>[0]) {
      charges += 1;
      const charge = await sandbox.charge(request);
      if (loseAnswer) throw new Error('connection reset after the provider accepted the charge');
      return charge;
    },
  };
  const buyer = apiCredits({ db: testDb.db, payments: flaky, now: () => clock });
  const purchase = { accountId: 'acct-lost', purchaseId: 'checkout-1', amount: 2500, paymentMethodId: visa };
  await expect(buyer.purchase(purchase)).rejects.toThrow(/connection reset/);
  expect(await testDb.db('api_credit_purchases').where({ account_id: 'acct-lost' }).select('status', 'amount')).toEqual([{ status: 'pending', amount: 2500 }]);
  expect((await buyer.balance('acct-lost')).balance).toBe(0);

  loseAnswer = false;
  const completed = await buyer.purchase(purchase);
  expect(completed).toMatchObject({ amount: 2500, balanceAfter: 2500, replayed: false });
  // The same request found the first charge by looking it up, without charging again: a day later the provider
  // may have forgotten the key, and a second charge would be a second payment.
  expect(charges).toBe(1);
  expect(await buyer.purchase(purchase)).toMatchObject({ amount: 2500, balanceAfter: 2500, replayed: true });
  expect(await testDb.db('sandbox_charges').where({ idempotency_key: 'api-credits:acct-lost:purchase:checkout-1' })).toHaveLength(1);
  expect((await buyer.balance('acct-lost')).balance).toBe(2500);
});
