// Provider IDs a caller sends (a payment method, a customer) are checked to be the caller's before use; one that
// is not is a 422 naming the field, and nothing changes. Cards are collected on the owner's one customer.
import { z } from 'zod';
import { ownerCustomer, ProviderIdNotOwned, type CustomerOwner } from '../payments/provider-customers';
import type { ApiContext } from './context';
import { problem } from './problem';

/** Use as `.catch(notOwnedAsProblem('body.'))`: the refused ID's field under `prefix`, e.g. `body.paymentMethodId`. */
export function notOwnedAsProblem(prefix: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ProviderIdNotOwned) throw problem(422, error.message, { field: `${prefix}${error.field}`, code: 'not_owned' });
    throw error;
  };
}

export const SetupIntentResponse = z.object({ setupIntentId: z.string(), clientSecret: z.string(), customerId: z.string() });

/**
 * A Stripe SetupIntent on the owner's one customer (kept in the ledger), for the front end to collect a card with.
 * A retried request makes the same SetupIntent: its key is the owner's and the request's Idempotency-Key.
 */
export async function startSetupIntent(ctx: ApiContext, owner: CustomerOwner, requestKey: string | undefined): Promise<z.infer<typeof SetupIntentResponse>> {
  const stripe = ctx.payments.name === 'stripe' ? ctx.stripe : null;
  if (!stripe) throw problem(409, 'payments run on the sandbox: use a test card (pm_card_visa) directly', { code: 'not_stripe' });
  const customerId = await ownerCustomer(ctx.db, ctx.payments, owner);
  const [metadata, keyPrefix] = owner.kind === 'team' ? [{ team_id: owner.id }, owner.id] : [{ api_credit_account_id: owner.id }, `api-credits:${owner.id}`];
  const intent = await stripe.setupIntents.create(
    { customer: customerId, usage: 'off_session', metadata },
    { idempotencyKey: `${keyPrefix}:setup-intent:${requestKey}` },
  );
  if (!intent.client_secret) throw problem(409, 'Stripe returned no client secret for the SetupIntent');
  return { setupIntentId: intent.id, clientSecret: intent.client_secret, customerId };
}
