import { Router } from 'express';
import { z } from 'zod';
import { ownedPaymentMethod } from '../../payments/provider-customers';
import { removePaymentMethodUpdate, setPaymentMethodUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { notOwnedAsProblem, SetupIntentResponse, startSetupIntent } from '../provider-ids';
import { PaymentMethod, TeamIdParam } from '../schemas';
import type { TeamWorkflows } from '../team-workflows';

/**
 * The card on file. With Stripe, the front end collects it through a SetupIntent (its client secret is returned
 * here), then the confirmed payment method is set on the team; with the sandbox, a test card is set directly.
 */
export function paymentMethodRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  const tag = 'Payment methods';
  const manage = { kind: 'team', actions: ['manage_payment_methods'] } as const;

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/payment-method', tag, summary: 'Set the payment method used for every charge from now on',
    access: manage, params: TeamIdParam, body: PaymentMethod, response: z.object({ hasPaymentMethod: z.literal(true) }), errors: [404, 409, 422],
  }, async ({ team, body }) => {
    if (body.provider !== ctx.payments.name) {
      throw problem(422, `this engine charges through ${ctx.payments.name}, not ${body.provider}`, { field: 'body.provider' });
    }
    // Stripe: the payment method must be attached to the team's own customer (the SetupIntent's), never another's.
    const owned = await ownedPaymentMethod(ctx.db, ctx.payments, { kind: 'team', id: team.teamId }, body).catch(notOwnedAsProblem('body.'));
    return workflows.update(team.teamId, setPaymentMethodUpdate, { provider: body.provider, ...owned });
  });

  operation(router, ctx, {
    method: 'delete', path: '/v1/teams/{teamId}/payment-method', tag,
    summary: 'Remove the card on file; refused (409 payment_method_in_use) while a paid plan or seat order is still to be charged to it',
    access: manage, params: TeamIdParam, response: z.object({ hasPaymentMethod: z.literal(false) }), errors: [404, 409],
  }, ({ team }) => workflows.update(team.teamId, removePaymentMethodUpdate));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/payment-method/setup-intent', tag, summary: 'Start collecting a card with a Stripe SetupIntent',
    access: manage, params: TeamIdParam, response: SetupIntentResponse, status: 201, errors: [409],
  }, ({ team, req }) => startSetupIntent(ctx, { kind: 'team', id: team.teamId }, req.get('idempotency-key')));

  return router;
}
