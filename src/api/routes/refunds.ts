// Refunds (section 10): within 72 hours of the payment, 14 days for EU/UK billing countries. The team's workflow
// makes the refund (its `requestRefund` update), because a refund also ends the period it paid for: the team is on
// Free from today and nothing more is charged for that period. The ledger's record of the payment is checked here
// first, so an unknown, refunded or too old payment is refused without reaching the workflow.
import { Router } from 'express';
import { z } from 'zod';
import { refundEligibility } from '../../domain';
import { requestRefundUpdate, voidPaidInvoiceUpdate } from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import type { LedgerReads } from '../ledger-reads';
import { operation } from '../operation';
import { problem, ProblemError } from '../problem';
import { Day, Id, TeamIdParam } from '../schemas';
import type { TeamWorkflows } from '../team-workflows';

export function refundRoutes(ctx: ApiContext, ledger: LedgerReads, workflows: TeamWorkflows): Router {
  const router = Router();

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/payments/{paymentId}/refund', tag: 'Payment methods',
    summary: 'Refund a payment the way it was paid (card, balance, credits), within 72 hours (14 days in the EU and UK); the refunded period ends today',
    access: { kind: 'team', actions: ['change_plan'] }, params: TeamIdParam.extend({ paymentId: Id }),
    response: z.object({
      refundId: z.string(), paymentId: z.string().nullable(), amount: z.int(), balanceReturned: z.int(), creditsReturned: z.int(),
      deadline: z.string(), periodEndedOn: Day.nullable(), restricted: z.boolean(),
    }),
    status: 201, errors: [404, 409, 422],
  }, async ({ team, params }) => {
    const payment = await ledger.payment(team.teamId, params.paymentId);
    if (!payment) throw problem(404, `team ${team.teamId} has no payment ${params.paymentId}`, { field: 'path.paymentId' });
    if (payment.refundedAmount >= payment.amount) throw problem(409, 'the payment is refunded already', { code: 'already_refunded' });
    const paidAt = new Date(payment.paidAt).toISOString();
    const eligibility = refundEligibility({ paidAt, now: new Date().toISOString(), billingCountry: await ledger.billingCountry(team.teamId) });
    if (!eligibility.eligible) throw problem(422, eligibility.reason, { code: 'refund_window_closed' });
    const refund = await workflows.update(team.teamId, requestRefundUpdate, { paymentId: payment.id }).catch((error: unknown) => {
      throw windowClosedAs422(error);
    });
    return { ...refund, deadline: eligibility.deadline };
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/invoices/{invoiceId}/void', tag: 'Payment methods',
    summary: 'Void a paid invoice issued in error (platform): it keeps its number, a credit note (reason void) gives back what is left of it the way it was paid; the period it started ends today',
    access: { kind: 'platform' }, params: TeamIdParam.extend({ invoiceId: Id }),
    response: z.object({
      invoiceId: z.string(), refundId: z.string(), paymentId: z.string().nullable(), amount: z.int(), balanceReturned: z.int(), creditsReturned: z.int(),
      periodEndedOn: Day.nullable(), restricted: z.boolean(),
    }),
    status: 201, errors: [404, 409],
  }, async ({ team, params }) => {
    const invoice = await ledger.invoiceToVoid(team.teamId, params.invoiceId);
    if (!invoice) throw problem(404, `team ${team.teamId} has no invoice ${params.invoiceId}`, { field: 'path.invoiceId' });
    if (invoice.status !== 'paid') {
      throw problem(409, `invoice ${invoice.number} is ${invoice.status}: only a paid invoice can be voided`, { code: invoice.status === 'void' ? 'already_void' : 'invoice_not_paid' });
    }
    if (invoice.credited >= invoice.total) throw problem(409, `invoice ${invoice.number} is fully credited already`, { code: 'fully_credited' });
    return workflows.update(team.teamId, voidPaidInvoiceUpdate, { invoiceId: invoice.id });
  });

  return router;
}

/** The workflow's own window check refusing is the same 422 as the ledger's above, not a state conflict (409). */
function windowClosedAs422(error: unknown): unknown {
  if (!(error instanceof ProblemError) || error.problem.code !== 'refund_window_closed') return error;
  return problem(422, error.problem.detail ?? 'the refund window closed', { code: 'refund_window_closed' });
}
