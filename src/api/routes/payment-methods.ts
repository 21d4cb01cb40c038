import { Router } from 'express';
import type Stripe from 'stripe';
import { z } from 'zod';
import { setPaymentMethodUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
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
  }, ({ team, body }) => {
    if (body.provider !== ctx.payments.name) {
      throw problem(422, `this engine charges through ${ctx.payments.name}, not ${body.provider}`, { field: 'body.provider' });
    }
    return workflows.update(team.teamId, setPaymentMethodUpdate, body);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/payment-method/setup-intent', tag, summary: 'Start collecting a card with a Stripe SetupIntent',
    access: manage, params: TeamIdParam, response: z.object({ setupIntentId: z.string(), clientSecret: z.string(), customerId: z.string() }), status: 201, errors: [409],
  }, async ({ team, req }) => {
    const stripe: Stripe | null = ctx.payments.name === 'stripe' ? ctx.stripe : null;
    if (!stripe) throw problem(409, 'payments run on the sandbox: set a test card (pm_card_visa) with POST …/payment-method', { code: 'not_stripe' });
    // One customer per team; a retried request makes the same SetupIntent (keys built from the team and the request's key).
    const { customerId } = await ctx.payments.createCustomer({ idempotencyKey: `${team.teamId}:customer`, teamId: team.teamId });
    const intent = await stripe.setupIntents.create(
      { customer: customerId, usage: 'off_session', metadata: { team_id: team.teamId } },
      { idempotencyKey: `${team.teamId}:setup-intent:${req.get('idempotency-key')}` },
    );
    if (!intent.client_secret) throw problem(409, 'Stripe returned no client secret for the SetupIntent');
    return { setupIntentId: intent.id, clientSecret: intent.client_secret, customerId };
  });

  return router;
}
