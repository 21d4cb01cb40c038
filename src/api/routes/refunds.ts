// Refunds (section 10). The window is the domain's (72 hours; 14 days for EU/UK billing countries, from the ledger's
// team record). The refund itself is the `refundPayment` activity's code, called here directly: it is a plain
// function of the ledger and the provider, idempotent under its key, and uses no Temporal context, so no workflow
// is needed to run it once and record it once. Ending the refunded period is the workflow's, which has no message
// for it yet (see the report of issue 10).
import { ApplicationFailure } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import { createBillingActivities } from '../../activities';
import { refundEligibility } from '../../domain';
import type { ApiContext } from '../context';
import type { LedgerReads } from '../ledger-reads';
import { operation } from '../operation';
import { problem } from '../problem';
import { Id, TeamIdParam } from '../schemas';

export function refundRoutes(ctx: ApiContext, ledger: LedgerReads): Router {
  const router = Router();
  const billing = createBillingActivities({ db: ctx.db, payments: ctx.payments });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/payments/{paymentId}/refund', tag: 'Payment methods',
    summary: 'Refund a payment to its payment method, within 72 hours (14 days in the EU and UK)',
    access: { kind: 'team', actions: ['change_plan'] }, params: TeamIdParam.extend({ paymentId: Id }),
    response: z.object({ refundId: z.string(), paymentId: z.string(), amount: z.int(), deadline: z.string() }), status: 201, errors: [404, 409, 422],
  }, async ({ team, params }) => {
    const payment = await ledger.payment(team.teamId, params.paymentId);
    if (!payment) throw problem(404, `team ${team.teamId} has no payment ${params.paymentId}`, { field: 'path.paymentId' });
    if (payment.refundedAmount >= payment.amount) throw problem(409, 'the payment is refunded already', { code: 'already_refunded' });
    const now = new Date().toISOString();
    const paidAt = new Date(payment.paidAt).toISOString();
    const eligibility = refundEligibility({ paidAt, now, billingCountry: await ledger.billingCountry(team.teamId) });
    if (!eligibility.eligible) throw problem(422, eligibility.reason, { code: 'refund_window_closed' });
    try {
      const refund = await billing.refundPayment({ key: `${payment.id}:refund`, paymentId: payment.id, at: now });
      return { refundId: refund.refundId, paymentId: refund.paymentId, amount: refund.amount, deadline: eligibility.deadline };
    } catch (error) {
      if (error instanceof ApplicationFailure && error.nonRetryable) throw problem(422, error.message, { code: error.type ?? 'refund_refused' });
      if (error instanceof ApplicationFailure) throw problem(503, `the payment provider did not answer: ${error.message}; retry later`, { code: error.type ?? 'provider_unavailable' });
      throw error;
    }
  });

  return router;
}
