import { Router } from 'express';
import { z } from 'zod';
import { apiCredits, MAX_LOW_BALANCE_RECIPIENTS } from '../../credits';
import { relayOutbound } from '../../activities/relay';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId } from '../principal';
import { problem } from '../problem';
import { SetupIntentResponse, startSetupIntent } from '../provider-ids';
import { Cents, Email, Id, Json } from '../schemas';
import { asProblem, assertSelfOrPlatform, requestKey } from './credit-problems';

const AccountParam = z.object({ accountId: Id.meta({ description: 'The account: the id of the user who owns the prepaid balance' }) });
const Balance = z.object({
  accountId: z.string(),
  balance: Cents,
  lowBalanceThreshold: Cents.nullable(),
  lastUsage: z.object({ at: z.string(), amount: Cents, idempotencyKey: z.string() }).nullable(),
});
const Alerts = z.object({
  accountId: z.string(),
  alerts: z.array(z.object({
    idempotencyKey: z.string().meta({ description: "The alert's key; its `credits.low_balance` webhook event is recorded under it" }),
    kind: z.string(),
    balance: Cents,
    threshold: Cents,
    at: z.string(),
  })),
});
const Amount = Cents.min(1).max(100_000_000);
const Threshold = Cents.min(0).max(100_000_000).nullable();
const LowBalanceSettings = z.object({
  accountId: z.string(),
  threshold: Cents.nullable(),
  recipients: z.array(z.string()).meta({ description: "Mailed with the account's owner when the balance falls below the threshold" }),
});

/** The recipients as stored: trimmed, lower-cased, each once. A bad address, or too many, is a 422 naming it. */
function lowBalanceRecipients(addresses: string[]): string[] {
  const distinct = new Set<string>();
  addresses.forEach((address, i) => {
    const normalized = address.trim().toLowerCase();
    if (!Email.safeParse(normalized).success) throw problem(422, `${JSON.stringify(address)} is not an email address`, { field: `body.recipients.${i}` });
    distinct.add(normalized);
  });
  if (distinct.size > MAX_LOW_BALANCE_RECIPIENTS) {
    throw problem(422, `at most ${MAX_LOW_BALANCE_RECIPIENTS} recipients besides the owner; ${distinct.size} given`, { field: 'body.recipients' });
  }
  return [...distinct];
}

/**
 * Prepaid API credits (section 12). The platform meters usage; the account's user refills on purpose and reads
 * the balance in real time. POSTs carry an Idempotency-Key, which is also the ledger's key for the usage event or
 * the purchase: the same event twice is charged once.
 */
export function apiCreditRoutes(ctx: ApiContext): Router {
  const router = Router();
  // A crossing's alert and its `credits.low_balance` event commit with the usage; their deliveries start after.
  const afterAlert = () => relayOutbound(ctx.db, { temporal: ctx.temporal, taskQueue: ctx.config.TASK_QUEUE });
  const credits = apiCredits({ db: ctx.db, payments: ctx.payments, afterAlert });
  const tag = 'API credits';
  const owner = { kind: 'user' } as const;
  /** A read of the account's own figures: by its user, or by the platform. */
  const accountRead = (path: string, summary: string, response: z.ZodType, what: string, read: (accountId: string) => Promise<unknown>) =>
    operation(router, ctx, { method: 'get', path, tag, summary, access: owner, params: AccountParam, response, errors: [403] }, async ({ params, principal }) => {
      assertSelfOrPlatform(principal, params.accountId, what);
      return read(params.accountId);
    });

  accountRead('/v1/api-credits/{accountId}/balance', 'The balance, in cents of credit, and the last usage (real time)', Balance, 'reads API credits', credits.balance);

  accountRead('/v1/api-credits/{accountId}/alerts', 'The low-balance alerts, oldest first: one per crossing below the threshold', Alerts,
    'reads API-credit alerts', async (accountId) => ({ accountId, alerts: await credits.alerts(accountId) }));

  operation(router, ctx, {
    method: 'post', path: '/v1/api-credits/{accountId}/usage', tag,
    summary: 'Consume credits for one metered event (Idempotency-Key: the event); refused with 402 if the balance does not cover it',
    access: { kind: 'platform' }, params: AccountParam, body: z.strictObject({ amount: Amount }),
    response: z.object({ accountId: z.string(), idempotencyKey: z.string(), amount: Cents, balanceAfter: Cents, at: z.string(), replayed: z.boolean() }),
    status: 201, errors: [402, 422],
  }, ({ params, body, req }) =>
    credits.consume({ accountId: params.accountId, idempotencyKey: requestKey(req.get('idempotency-key')), amount: body.amount }).catch(asProblem));

  operation(router, ctx, {
    method: 'post', path: '/v1/api-credits/{accountId}/purchases', tag,
    summary: "Buy credits with a payment method: with Stripe, one attached to the account's customer (a refill is always on purpose: never automatic)",
    access: owner, params: AccountParam,
    body: z.strictObject({ amount: Amount, paymentMethodId: z.string().min(1).max(255), customerId: z.string().min(1).max(255).optional() }),
    response: Json, status: 201, errors: [402, 403, 422],
  }, async ({ params, body, principal, req }) => {
    // The platform alone may not refill: that would be an automatic refill.
    if (actingUserId(principal) !== params.accountId) throw problem(403, "only the account's user buys its credits", { code: 'forbidden' });
    const purchaseId = requestKey(req.get('idempotency-key'));
    return credits.purchase({ accountId: params.accountId, purchaseId, ...body }).catch(asProblem);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/api-credits/{accountId}/payment-method/setup-intent', tag,
    summary: "Start collecting a card for the account's purchases with a Stripe SetupIntent, on the account's one customer",
    access: owner, params: AccountParam, response: SetupIntentResponse, status: 201, errors: [403, 409],
  }, async ({ params, principal, req }) => {
    if (actingUserId(principal) !== params.accountId) throw problem(403, "only the account's user adds its cards", { code: 'forbidden' });
    return startSetupIntent(ctx, { kind: 'api_credit_account', id: params.accountId }, req.get('idempotency-key'));
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/api-credits/{accountId}/low-balance-threshold', tag,
    summary: 'Set (or clear, with null) the balance below which the account is notified, once per crossing',
    access: owner, params: AccountParam, body: z.strictObject({ threshold: Threshold }),
    response: Balance, errors: [403],
  }, async ({ params, body, principal }) => {
    assertSelfOrPlatform(principal, params.accountId, 'sets API-credit alerts');
    return credits.setLowBalanceThreshold(params.accountId, body.threshold);
  });

  accountRead('/v1/api-credits/{accountId}/low-balance',
    "The low-balance threshold and who is mailed when the balance falls below it (the account's owner, and these recipients)", LowBalanceSettings,
    'reads API-credit alerts', credits.lowBalanceSettings);

  operation(router, ctx, {
    method: 'put', path: '/v1/api-credits/{accountId}/low-balance', tag,
    summary: `Set the threshold (null: no alert) and up to ${MAX_LOW_BALANCE_RECIPIENTS} addresses mailed with the owner once per crossing (empty: the owner only)`,
    access: owner, params: AccountParam,
    body: z.strictObject({ threshold: Threshold, recipients: z.array(z.string()) }),
    response: LowBalanceSettings, errors: [403, 422],
  }, async ({ params, body, principal }) => {
    assertSelfOrPlatform(principal, params.accountId, 'sets API-credit alerts');
    return credits.setLowBalanceSettings({ accountId: params.accountId, threshold: body.threshold, recipients: lowBalanceRecipients(body.recipients) });
  });

  accountRead('/v1/api-credits/{accountId}/manual-invoicing',
    'Whether the account may be invoiced manually ($1,000 of purchases in each of the last 3 full months), and why not',
    z.object({ eligible: z.boolean(), months: z.array(z.object({ month: z.string(), purchased: Cents })), reason: z.string().nullable() }),
    'reads manual-invoicing eligibility', credits.manualInvoicing);

  return router;
}
