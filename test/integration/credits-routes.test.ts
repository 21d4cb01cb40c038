import express, { type Express } from 'express';
import request from 'supertest';
import { createDirectory } from '../../src/ledger/accounts/directory';
import { loadConfig } from '../../src/config';
import type { ApiContext } from '../../src/api/context';
import type { Principal } from '../../src/api/principal';
import { problemHandler } from '../../src/api/problem';
import { apiCreditRoutes } from '../../src/api/routes/api-credits';
import { creditRoutes } from '../../src/api/routes/credits';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The credit routers alone, behind a stand-in for the authentication middleware (`x-test-user`: a user's token;
// none: the platform's service token). Caller mistakes are 4xx problems naming the field, never a 5xx.
let testDb: TestDatabase;
let app: Express;
/** The workflow IDs the routes' relay started (a stand-in Temporal client). */
let started: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const directory = createDirectory(testDb.db);
  for (const id of ['ann', 'ben', 'cat']) await directory.createUser({ id, email: `${id}@example.com`, name: id });
  await testDb.db('teams').insert({ id: 'team-r', name: 'R' });
  await directory.addMember('team-r', 'ann', 'member');
  await directory.addMember('team-r', 'ben', 'owner');
  const temporal = { workflow: { start: async (_type: string, options: { workflowId: string }) => { started.push(options.workflowId); } } };
  const ctx = {
    db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), directory, operations: [], logger: { error() {} },
    temporal, config: loadConfig({ TASK_QUEUE: 'test-queue' }), // every setting at its default, as the API runs with
  } as unknown as ApiContext;
  app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const user = req.get('x-test-user');
    req.principal = (user ? { kind: 'user', userId: user } : { kind: 'service', actingUserId: null }) satisfies Principal;
    next();
  });
  app.use(creditRoutes(ctx), apiCreditRoutes(ctx));
  app.use(problemHandler((error) => { throw error; }));
});
afterAll(() => testDb.drop());

let key = 0;
const post = (path: string, body: object, user?: string) => {
  const req = request(app).post(path).set('idempotency-key', `k-${++key}`).send(body);
  return user ? req.set('x-test-user', user) : req;
};
const get = (path: string, user?: string) => (user ? request(app).get(path).set('x-test-user', user) : request(app).get(path));

test('the platform rewards a referral once; a user cannot', async () => {
  const body = { registeredUserId: 'cat', inviterUserId: 'ann', channel: 'project', registeredAt: '2026-04-01T10:00:00Z' };
  expect((await post('/v1/credits/referral-rewards', body)).body).toMatchObject({ rewarded: true, amount: 1000 });
  expect((await post('/v1/credits/referral-rewards', body)).body).toMatchObject({ rewarded: false });
  expect((await post('/v1/credits/referral-rewards', body, 'ann')).status).toBe(403);
  const invalid = await post('/v1/credits/referral-rewards', { ...body, channel: 'email', registeredAt: 'yesterday' });
  expect(invalid.status).toBe(400);
  expect(invalid.type).toBe('application/problem+json');
  expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.channel', 'body.registeredAt']);
});

test('a user reads only their own credits, contributes them to a team they belong to, and not beyond what they hold', async () => {
  expect((await get('/v1/users/ann/credits', 'ann')).body).toMatchObject({ balance: 1000 });
  expect((await get('/v1/users/ann/credits', 'ben')).status).toBe(403);
  const tooMuch = await post('/v1/teams/team-r/credits/contributions', { amount: 1001 }, 'ann');
  expect(tooMuch.status).toBe(409);
  expect(tooMuch.body).toMatchObject({ code: 'insufficient_credits', available: 1000, errors: [{ field: 'body.amount' }] });
  expect((await post('/v1/teams/team-r/credits/contributions', { amount: 600 }, 'ann')).status).toBe(201);
  expect((await post('/v1/teams/team-r/credits/contributions', { amount: 1 }, 'cat')).status).toBe(403); // no role on the team
  // A member may contribute but not view the team's billing; the owner may.
  expect((await get('/v1/teams/team-r/credits', 'ann')).status).toBe(403);
  expect((await get('/v1/teams/team-r/credits', 'ben')).body).toMatchObject({ balance: 600 });
  expect((await get('/v1/teams/team-r/credits/history', 'ben')).body.entries).toEqual([expect.objectContaining({ kind: 'contributed', amount: 600 })]);
  expect((await get('/v1/users/ann/credits/history?limit=0', 'ann')).body.errors).toEqual([expect.objectContaining({ field: 'query.limit' })]);
});

test('API credits: the user refills on purpose, the platform meters, a refusal is a 402 with the balance', async () => {
  expect((await post('/v1/api-credits/ben/purchases', { amount: 500, paymentMethodId: 'pm_card_visa' })).status).toBe(403); // never automatic
  expect((await post('/v1/api-credits/ben/purchases', { amount: 500, paymentMethodId: 'pm_card_visa' }, 'ben')).body).toMatchObject({ balanceAfter: 500 });
  expect((await post('/v1/api-credits/ben/usage', { amount: 200 }, 'ben')).status).toBe(403);
  expect((await post('/v1/api-credits/ben/usage', { amount: 200 })).body).toMatchObject({ balanceAfter: 300 });
  const refused = await post('/v1/api-credits/ben/usage', { amount: 301 });
  expect(refused.status).toBe(402);
  expect(refused.body).toMatchObject({ code: 'insufficient_api_credits', balance: 300, asked: 301 });
  expect((await post('/v1/api-credits/ben/usage', { amount: -5 })).body.errors).toEqual([expect.objectContaining({ field: 'body.amount' })]);
  expect((await get('/v1/api-credits/ben/balance', 'ben')).body).toMatchObject({ balance: 300, lastUsage: { amount: 200 } });
  expect((await get('/v1/api-credits/ben/balance', 'ann')).status).toBe(403);
  expect((await post('/v1/api-credits/ben/low-balance-threshold', { threshold: 'low' }, 'ben')).body.errors).toEqual([expect.objectContaining({ field: 'body.threshold' })]);
  expect((await get('/v1/api-credits/ben/manual-invoicing', 'ben')).body).toMatchObject({ eligible: false, reason: expect.stringMatching(/below \$1,000/) });
  const declined = await post('/v1/api-credits/ben/purchases', { amount: 500, paymentMethodId: 'pm_card_chargeDeclined' }, 'ben');
  expect(declined.body).toMatchObject({ status: 402, code: 'payment_declined', providerCode: 'card_declined' });
});

test('API credits: a crossing is one credits.low_balance event, and the owner or the platform lists its alert', async () => {
  expect((await post('/v1/api-credits/cat/purchases', { amount: 1000, paymentMethodId: 'pm_card_visa' }, 'cat')).status).toBe(201);
  expect((await post('/v1/api-credits/cat/low-balance-threshold', { threshold: 500 }, 'cat')).status).toBe(200);
  expect((await get('/v1/api-credits/cat/alerts', 'cat')).body).toEqual({ accountId: 'cat', alerts: [] });
  await testDb.db('webhook_endpoints').insert({ id: 'we_credits', url: 'https://example.com/hook', secret: 'whsec_test', event_types: JSON.stringify(['credits.low_balance']) });
  started = [];
  expect((await post('/v1/api-credits/cat/usage', { amount: 600 })).body).toMatchObject({ balanceAfter: 400 }); // crossed
  expect((await post('/v1/api-credits/cat/usage', { amount: 100 })).body).toMatchObject({ balanceAfter: 300 }); // still below
  const events = await testDb.db('webhook_events').where({ type: 'credits.low_balance' }).where('idempotency_key', 'like', 'cat:%');
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ idempotency_key: 'cat:low_balance:1:credits.low_balance', data: { accountId: 'cat', balance: 400, threshold: 500 } });
  // After the commit, the route started the delivery to the subscribed endpoint and the alert's email to the owner
  // (once: the second event crossed nothing).
  expect(started).toEqual([`webhook-delivery:${events[0].id}:we_credits`, 'document-emails:cat:low_balance:1:email']);
  const alert = { idempotencyKey: 'cat:low_balance:1', kind: 'low_balance', balance: 400, threshold: 500, at: expect.any(String) };
  expect((await get('/v1/api-credits/cat/alerts', 'cat')).body).toEqual({ accountId: 'cat', alerts: [alert] });
  expect((await get('/v1/api-credits/cat/alerts')).body).toEqual({ accountId: 'cat', alerts: [alert] }); // the platform
  expect((await get('/v1/api-credits/cat/alerts', 'ann')).status).toBe(403);
});

test("API credits: a customer that is not the account's is a 422 naming body.customerId, and nothing is bought", async () => {
  const before = (await get('/v1/api-credits/ann/balance', 'ann')).body.balance as number;
  const refused = await post('/v1/api-credits/ann/purchases', { amount: 500, paymentMethodId: 'pm_card_visa', customerId: 'cus_someone_else' }, 'ann');
  expect(refused.status).toBe(422);
  expect(refused.type).toBe('application/problem+json');
  expect(refused.body).toMatchObject({ code: 'customer_not_owned', errors: [{ field: 'body.customerId' }] });
  expect(await testDb.db('api_credit_purchases').where({ account_id: 'ann' })).toEqual([]);
  expect(await testDb.db('sandbox_charges').where('idempotency_key', 'like', 'api-credits:ann:%')).toEqual([]);
  expect((await get('/v1/api-credits/ann/balance', 'ann')).body.balance).toBe(before);
  // The sandbox's test cards are shared tokens: any account may buy with one (see src/payments/sandbox-provider.ts).
  expect((await post('/v1/api-credits/ann/purchases', { amount: 500, paymentMethodId: 'pm_card_visa' }, 'ann')).status).toBe(201);
});
