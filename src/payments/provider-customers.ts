// The provider's customer of a team or an API-credit account, kept in the ledger (provider_customers), and the
// check that a payment method or customer ID a caller sends belongs to that owner before anything uses it.
import type { Knex } from 'knex';
import type { Db } from '../ledger/db';
import { PaymentRequestRejected, type PaymentProvider } from './payment-provider';

export interface CustomerOwner {
  kind: 'team' | 'api_credit_account';
  id: string;
}

/** A payment method or customer ID that is not the owner's: `field` names the one refused. */
export class ProviderIdNotOwned extends Error {
  override readonly name = 'ProviderIdNotOwned';
  constructor(
    readonly field: 'paymentMethodId' | 'customerId',
    message: string,
  ) {
    super(message);
  }
}

/** The owner's customer as the ledger keeps it, or null before its first one was made. */
export async function storedCustomer(db: Db | Knex.Transaction, provider: PaymentProvider, owner: CustomerOwner): Promise<string | null> {
  const row = (await db('provider_customers').where({ owner_kind: owner.kind, owner_id: owner.id, provider: provider.name }).first('customer_id')) as
    | { customer_id: string }
    | undefined;
  return row?.customer_id ?? null;
}

/**
 * The owner's one customer: the ledger's, else made at the provider (under a key, so a retry gets the same one)
 * and stored. A concurrent request for the same owner waits on the lock, then finds the stored customer.
 */
export async function ownerCustomer(db: Db, provider: PaymentProvider, owner: CustomerOwner): Promise<string> {
  return (await storedCustomer(db, provider, owner)) ?? db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`provider_customer:${provider.name}:${owner.kind}:${owner.id}`]);
    const stored = await storedCustomer(trx, provider, owner);
    if (stored) return stored;
    const { customerId } = await provider.createCustomer(
      owner.kind === 'team'
        ? { idempotencyKey: `${owner.id}:customer`, teamId: owner.id }
        : { idempotencyKey: `api-credits:${owner.id}:customer`, apiCreditAccountId: owner.id },
    );
    await trx('provider_customers').insert({ owner_kind: owner.kind, owner_id: owner.id, provider: provider.name, customer_id: customerId });
    return customerId;
  });
}

/**
 * A payment method (and customer ID) a caller names for `owner`, checked before use and returned with the owner's
 * customer: a customer ID must be the owner's; a payment method must be attached to the owner's customer, unless it
 * is one of the sandbox's shared test tokens (see the sandbox provider). Throws ProviderIdNotOwned; creates nothing.
 */
export async function ownedPaymentMethod(
  db: Db | Knex.Transaction,
  provider: PaymentProvider,
  owner: CustomerOwner,
  given: { paymentMethodId: string; customerId?: string | undefined },
): Promise<{ paymentMethodId: string; customerId?: string }> {
  const customerId = await storedCustomer(db, provider, owner);
  const whose = owner.kind === 'team' ? `team ${owner.id}` : `API-credit account ${owner.id}`;
  if (given.customerId !== undefined && given.customerId !== customerId) {
    throw new ProviderIdNotOwned('customerId', `customer ${given.customerId} is not the customer of ${whose}`);
  }
  const holder = await provider.paymentMethodHolder(given.paymentMethodId).catch((error: unknown) => {
    if (error instanceof PaymentRequestRejected && error.code === 'resource_missing') throw new ProviderIdNotOwned('paymentMethodId', `${provider.name} has no payment method ${given.paymentMethodId}`);
    throw error;
  });
  const attached = holder.kind === 'test_token' || (holder.kind === 'customer' && customerId !== null && holder.customerId === customerId);
  if (!attached) throw new ProviderIdNotOwned('paymentMethodId', `payment method ${given.paymentMethodId} is not attached to the customer of ${whose}`);
  return { paymentMethodId: given.paymentMethodId, ...(given.customerId !== undefined || holder.kind === 'customer' ? { customerId: customerId! } : {}) };
}
