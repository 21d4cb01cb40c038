// The default payment provider: plays Stripe's test cards and keeps its charges in the ledger database
// (sandbox_charges), keyed by idempotency key, so the same key returns the same charge across restarts.
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../ledger/db';
import { isCents, type Cents } from '../domain/money';
import {
  PaymentDeclined,
  PaymentProviderRateLimited,
  PaymentRequestRejected,
  type Charge,
  type ChargeRequest,
  type PaymentProvider,
  type Refund,
  type RefundRequest,
} from './payment-provider';
import { testCardDecline } from './sandbox-cards';

export interface SandboxProvider extends PaymentProvider {
  readonly name: 'sandbox';
  /** The next `count` charges to `paymentMethodId` fail with `code`, whatever the card. Replaces an earlier rule. */
  declineNextCharges(paymentMethodId: string, count: number, code?: string): Promise<void>;
  /** How many charges this provider answered with its rate limit (429) so far. */
  rateLimited(): number;
}

interface SandboxChargeRow {
  id: string;
  idempotency_key: string;
  payment_method: string;
  amount: Cents;
  refunded_amount: Cents;
  status: 'succeeded' | 'declined' | 'refunded';
  decline_code: string | null;
  created_at: Date;
}

interface SandboxRefundRow {
  id: string;
  charge_id: string;
  idempotency_key: string;
  amount: Cents;
}

/**
 * `maxChargesPerSecond` (SANDBOX_PROVIDER_MAX_RPS): like Stripe's rate limit (100 requests a second live, 25 in test
 * mode), a new charge beyond this many in one second of the database's clock is answered 429
 * (PaymentProviderRateLimited) and nothing is charged. It holds for every worker sharing the database. Unset, none.
 */
export function createSandboxProvider({ db, maxChargesPerSecond }: { db: Db; maxChargesPerSecond?: number }): SandboxProvider {
  let rateLimited = 0;
  return {
    name: 'sandbox',

    async charge(request: ChargeRequest): Promise<Charge> {
      requirePositive(request.amount);
      const charge = await db.transaction(async (trx) => {
        // Concurrent calls with one key queue here; the first records the charge, the others read it.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`sandbox_charge:${request.idempotencyKey}`]);
        const existing = await trx<SandboxChargeRow>('sandbox_charges').where({ idempotency_key: request.idempotencyKey }).first();
        if (existing) return sameCharge(existing, request);
        const chargedAt = await takeRateLimitSlot(trx, maxChargesPerSecond).catch((error: unknown) => {
          if (error instanceof PaymentProviderRateLimited) rateLimited += 1;
          throw error;
        });
        const declineCode = (await takeForcedDecline(trx, request.paymentMethodId)) ?? testCardDecline(request.paymentMethodId);
        const [created] = await trx<SandboxChargeRow>('sandbox_charges')
          .insert({
            id: `ch_sandbox_${randomBytes(12).toString('hex')}`,
            idempotency_key: request.idempotencyKey,
            payment_method: request.paymentMethodId,
            amount: request.amount,
            created_at: chargedAt ?? trx.raw('clock_timestamp()'),
            status: declineCode ? 'declined' : 'succeeded',
            decline_code: declineCode,
          })
          .returning('*');
        return created as SandboxChargeRow;
      });
      if (charge.status === 'declined') throw new PaymentDeclined(charge.decline_code ?? 'card_declined');
      return { providerPaymentId: charge.id, amount: charge.amount };
    },

    async refund(request: RefundRequest): Promise<Refund> {
      if (request.amount !== undefined) requirePositive(request.amount);
      const refund = await db.transaction(async (trx) => {
        const charge = await trx<SandboxChargeRow>('sandbox_charges').where({ id: request.providerPaymentId }).forUpdate().first();
        if (!charge || charge.status === 'declined') {
          throw new PaymentRequestRejected('resource_missing', `no sandbox charge ${request.providerPaymentId} to refund`);
        }
        const existing = await trx<SandboxRefundRow>('sandbox_refunds').where({ idempotency_key: request.idempotencyKey }).first();
        if (existing) return sameRefund(existing, request);
        const left = charge.amount - charge.refunded_amount;
        const amount = request.amount ?? left;
        if (amount <= 0 || amount > left) {
          throw new PaymentRequestRejected('amount_too_large', `refund of ${amount} exceeds the ${left} left on ${charge.id}`);
        }
        const [created] = await trx<SandboxRefundRow>('sandbox_refunds')
          .insert({ id: `re_sandbox_${randomBytes(12).toString('hex')}`, charge_id: charge.id, idempotency_key: request.idempotencyKey, amount })
          .returning('*');
        const refunded = charge.refunded_amount + amount;
        await trx('sandbox_charges')
          .where({ id: charge.id })
          .update({ refunded_amount: refunded, status: refunded === charge.amount ? 'refunded' : 'succeeded' });
        return created as SandboxRefundRow;
      });
      return { providerRefundId: refund.id, amount: refund.amount };
    },

    async createCustomer({ idempotencyKey }) {
      // Nothing to remember: the id follows from the key, so a retry gets the same customer.
      return { customerId: `cus_sandbox_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}` };
    },

    async findCharge({ idempotencyKey }) {
      // The sandbox settles at once: a charge is succeeded (or refunded since) or declined, never processing.
      const charge = await db<SandboxChargeRow>('sandbox_charges').where({ idempotency_key: idempotencyKey }).first();
      if (!charge) return null;
      if (charge.status === 'declined') throw new PaymentDeclined(charge.decline_code ?? 'card_declined');
      return { providerPaymentId: charge.id, amount: charge.amount };
    },

    async paymentMethodHolder() {
      // Sandbox payment methods are Stripe's public test tokens (pm_card_visa…) or names a simulation makes up:
      // shared by every team, holding no one's money, so any team may set any of them. Ownership is Stripe's matter.
      return { kind: 'test_token' };
    },

    rateLimited: () => rateLimited,

    async declineNextCharges(paymentMethodId, count, code = 'card_declined') {
      if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
      await db('sandbox_decline_rules')
        .insert({ payment_method: paymentMethodId, remaining: count, decline_code: code, updated_at: db.fn.now() })
        .onConflict('payment_method')
        .merge();
    },
  };
}

function requirePositive(amount: Cents): void {
  if (!isCents(amount) || amount <= 0) throw new PaymentRequestRejected('invalid_amount', `amount must be positive cents, got ${String(amount)}`);
}

/**
 * With a limit: the moment a new charge is made (the database's clock, not the transaction's start), after checking
 * the second it falls in holds fewer than `maxChargesPerSecond` charges; one caller at a time, so two workers never
 * both take the last slot. Without one: null, and the insert takes the same clock itself (one round trip fewer).
 */
async function takeRateLimitSlot(trx: Knex.Transaction, maxChargesPerSecond: number | undefined): Promise<Date | null> {
  if (maxChargesPerSecond === undefined) return null;
  await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('sandbox_rate_limit', 0))");
  const { rows } = await trx.raw<{ rows: { now: Date }[] }>('SELECT clock_timestamp() AS now');
  const now = rows[0]!.now;
  const inSecond = await trx('sandbox_charges').where('created_at', '>=', trx.raw("date_trunc('second', ?::timestamptz)", [now])).count({ n: '*' }).first();
  if (Number(inSecond?.n ?? 0) >= maxChargesPerSecond) {
    throw new PaymentProviderRateLimited(`sandbox: ${maxChargesPerSecond} charges this second already (429)`);
  }
  return now;
}

/** Uses up one forced decline of the payment method, if a simulation asked for some. */
async function takeForcedDecline(trx: Knex.Transaction, paymentMethodId: string): Promise<string | null> {
  const [rule] = await trx('sandbox_decline_rules')
    .where({ payment_method: paymentMethodId })
    .where('remaining', '>', 0)
    .decrement('remaining', 1)
    .returning<{ decline_code: string }[]>('decline_code');
  return rule?.decline_code ?? null;
}

/** A key names one request: reusing it for another charge is refused, as Stripe refuses it. */
function sameCharge(existing: SandboxChargeRow, request: ChargeRequest): SandboxChargeRow {
  if (existing.amount !== request.amount || existing.payment_method !== request.paymentMethodId) {
    throw new PaymentRequestRejected('idempotency_key_in_use', `idempotency key ${request.idempotencyKey} was used for another charge`);
  }
  return existing;
}

function sameRefund(existing: SandboxRefundRow, request: RefundRequest): SandboxRefundRow {
  if (existing.charge_id !== request.providerPaymentId || (request.amount !== undefined && existing.amount !== request.amount)) {
    throw new PaymentRequestRejected('idempotency_key_in_use', `idempotency key ${request.idempotencyKey} was used for another refund`);
  }
  return existing;
}
