// The seat system (section 7): seat orders, seats added, their price first, and payments of invoice-first orders.
// Each action is one update of the team's workflow; the quote uses the domain functions the workflow charges with.
import { Router } from 'express';
import { z } from 'zod';
import { checkReorder, seatAdditionInvoice, seatOrderInvoice, type Invoice } from '../../domain';
import {
  addSeatsUpdate,
  buySeatsUpdate,
  recordInvoicePaymentUpdate,
  type SeatOrderRequest,
  type SeatOrderResult,
  type TeamSubscriptionView,
} from '../../workflows/team-subscription-messages';
import type { ApiContext } from '../context';
import { teamTaxRate, withTax } from '../tax-estimates';
import { requireActions } from '../middleware/team-access';
import { operation } from '../operation';
import { problem } from '../problem';
import { Cents, ChargedInvoice, Count, Day, Id, Json, PaidPlan, PurchaseOrder, TeamIdParam } from '../schemas';
import type { SubscriptionReader } from '../subscription-views';
import type { TeamWorkflows } from '../team-workflows';

const refusals = [404, 409, 422] as const;

const DueDays = z.int().min(1).max(90).optional().meta({ description: 'Days until the invoice is due (30 by default); payable through the due day' });

const SeatOrderBody = z.strictObject({
  plan: PaidPlan,
  seats: Count,
  invoiceFirst: z.boolean().optional().meta({ description: 'An open invoice now, paid by card or bank transfer; the order starts when it is paid (needs request_invoice)' }),
  dueDays: DueDays,
  purchaseOrder: PurchaseOrder.optional(),
});

const InvoiceRequestBody = z.strictObject({ plan: PaidPlan, seats: Count, dueDays: DueDays, purchaseOrder: PurchaseOrder.optional() });

const OpenInvoice = z
  .object({
    invoiceId: z.string(),
    number: z.string().meta({ example: 'INV-2026-000123' }),
    status: z.literal('open'),
    issuedOn: Day,
    dueOn: Day.meta({ description: 'Payable through this day; unpaid after it, the invoice is voided and the order never starts' }),
    net: Cents,
    tax: Cents,
    total: Cents.meta({ description: 'net + tax' }),
    amountDue: Cents.meta({ description: 'What is left to pay by bank transfer or card: the total less the team balance and credits held for it' }),
    purchaseOrder: z.string().nullable(),
    pdfUrl: z.string().meta({ description: 'GET it (as someone who may view the billing) for the invoice as PDF' }),
  })
  .meta({ id: 'OpenInvoice' });

const InvoiceRequested = z.object({
  status: z.enum(['awaiting_payment', 'scheduled']).meta({ description: 'awaiting_payment: the order starts when paid; scheduled: when the current period or order ends, if paid' }),
  plan: PaidPlan,
  seats: z.int(),
  startsOn: Day.meta({ description: 'The first day of the order once paid (today when paid later, on Free)' }),
  invoice: OpenInvoice,
});

const SeatQuoteBody = z
  .strictObject({ plan: PaidPlan.optional(), seats: Count.optional(), addSeats: Count.optional() })
  .refine((q) => (q.addSeats !== undefined) !== (q.plan !== undefined && q.seats !== undefined), { message: 'name addSeats, or a plan and seats' });

export function seatRoutes(ctx: ApiContext, workflows: TeamWorkflows, subscription: SubscriptionReader): Router {
  const router = Router();
  const tag = 'Seat orders';
  const change = { kind: 'team', actions: ['change_plan'] } as const;
  // One way to order seats, by card or invoice first: the team workflow's buySeats update.
  const order = (teamId: string, request: SeatOrderRequest) => workflows.update(teamId, buySeatsUpdate, request);

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/seat-orders', tag,
    summary: 'Order seats for a year: now by card, invoice first, or from the end of the current period or order',
    access: change, params: TeamIdParam, body: SeatOrderBody, response: Json.meta({ description: 'status active | awaiting_payment | scheduled' }), errors: refusals,
  }, ({ team, principal, body }) => {
    if (body.invoiceFirst) requireActions(principal, team, ['request_invoice']); // section 11: invoice first is a requested invoice
    return order(team.teamId, body);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/seat-orders/invoice-requests', tag, status: 201,
    summary: 'Request an invoice for a year of seats: open, due in 30 days unless told, paid by bank transfer or card; emailed to the admins and billing managers',
    access: { kind: 'team', actions: ['request_invoice'] }, params: TeamIdParam, body: InvoiceRequestBody, response: InvoiceRequested, errors: refusals,
  }, async ({ team, body }) => {
    const result = await order(team.teamId, { ...body, invoiceFirst: true });
    return invoiceRequested(team.teamId, body.purchaseOrder, result, ctx.config.API_PUBLIC_URL);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/seat-orders/seats', tag, summary: 'Add seats to the running order, prorated to its end',
    access: change, params: TeamIdParam, body: z.strictObject({ count: Count }),
    response: z.object({ seats: z.int(), invoice: ChargedInvoice }), errors: refusals,
  }, ({ team, body }) => workflows.update(team.teamId, addSeatsUpdate, body));

  operation(router, ctx, {
    method: 'post', path: '/v1/teams/{teamId}/seat-orders/quote', tag, summary: 'What seats added now, or an order, would cost (nothing is changed)',
    access: { kind: 'team', actions: ['view_billing'] }, params: TeamIdParam, body: SeatQuoteBody, errors: [409, 422],
    response: Json.meta({ description: '{ today, invoice }' }),
  }, async ({ team, body }) => {
    const { today, invoice } = seatQuote(await subscription(team.teamId), body);
    return { today, invoice: withTax(invoice, await teamTaxRate(ctx.db, ctx.seller, team.teamId, invoice.on)) };
  });

  operation(router, ctx, {
    // Operators record a bank transfer or a card payment they received for an invoice-first order.
    method: 'post', path: '/v1/teams/{teamId}/invoices/{invoiceId}/payments', tag, summary: 'Record a payment of an invoice-first order, as the platform',
    access: { kind: 'platform' }, params: TeamIdParam.extend({ invoiceId: Id }),
    body: z.strictObject({ method: z.enum(['bank_transfer', 'card']), reference: z.string().trim().min(1).max(255) }),
    response: Json.meta({ description: 'status active (with the order) | scheduled (starts when the current order or period ends)' }), errors: refusals,
  }, ({ team, params, body }) => workflows.update(team.teamId, recordInvoicePaymentUpdate, { invoiceId: params.invoiceId, ...body }));

  return router;
}

type SeatQuoteRequest = z.output<typeof SeatQuoteBody>;

/** An invoice-first order as the invoice it opened: its figures, its due day and its PDF. */
function invoiceRequested(teamId: string, purchaseOrder: string | undefined, result: SeatOrderResult, apiUrl: string): z.output<typeof InvoiceRequested> {
  const invoice = result.invoice;
  const open = result.status === 'active' ? null : result.ordered.invoice;
  // Issued today, so numbered and taxed (only results replayed from before numbering lack them).
  if (result.status === 'active' || !open || !invoice || invoice.number === undefined || invoice.net === undefined || invoice.tax === undefined) {
    throw new Error(`the invoice-first order of team ${teamId} answered without its open invoice`);
  }
  const { invoiceId, number, on: issuedOn, net, tax, total, charged: amountDue } = invoice;
  return {
    status: result.status, plan: result.ordered.plan, seats: result.ordered.seats, startsOn: result.ordered.startsOn,
    invoice: {
      invoiceId, number, status: 'open', issuedOn, dueOn: open.dueOn, net, tax, total, amountDue, purchaseOrder: purchaseOrder ?? null,
      pdfUrl: `${apiUrl}/v1/teams/${encodeURIComponent(teamId)}/invoices/${encodeURIComponent(invoiceId)}/pdf`,
    },
  };
}

function seatQuote(view: TeamSubscriptionView, request: SeatQuoteRequest): { today: string; invoice: Invoice } {
  if (request.addSeats !== undefined) {
    const order = view.seatOrder;
    if (!order) throw problem(409, 'the team has no running seat order', { code: 'no_seat_order' });
    // seatPrice × added × daysFrom(today, orderEnd) ÷ daysInOrder
    return { today: view.today, invoice: seatAdditionInvoice({ plan: order.plan, added: request.addSeats, today: view.today, order: order.period }) };
  }
  const reorder = checkReorder({ seats: request.seats!, members: view.members });
  if (!reorder.ok) throw problem(409, reorder.message, { code: reorder.error, field: 'body.seats' });
  const start = view.seatOrder?.period.end ?? view.period?.end ?? view.today; // starts when the current one ends
  return { today: view.today, invoice: seatOrderInvoice({ plan: request.plan!, seats: request.seats!, start }).invoice };
}
