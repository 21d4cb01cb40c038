import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import type { LedgerReads } from '../ledger-reads';
import { operation } from '../operation';
import { problem } from '../problem';
import { Id, Json, TeamIdParam } from '../schemas';
import { creditNotePdf, invoicePdf } from '../../documents/invoice-pdf';
import type { CreditNoteDetail, InvoiceDetail } from '../../documents/types';

/** Invoices, payments, the team balance, credit history and in-product notices, read from the ledger. */
export function billingHistoryRoutes(ctx: ApiContext, ledger: LedgerReads): Router {
  const router = Router();
  const tag = 'Billing history';
  const view = { kind: 'team', actions: ['view_billing'] } as const;
  const list = (description: string) => z.array(Json).meta({ description });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/invoices', tag, summary: 'Invoices, newest first', access: view, params: TeamIdParam,
    response: list('invoices: number, net, tax and total, and how much came from the balance, credits and the card'),
  }, ({ team }) => ledger.invoices(team.teamId));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/invoices/{invoiceId}', tag, summary: 'An invoice with its lines, payments and evidence (the workflow run that produced it, with a Temporal UI link)', access: view,
    params: TeamIdParam.extend({ invoiceId: Id }), response: Json, errors: [404],
  }, async ({ team, params }) => {
    const invoice = await ledger.invoice(team.teamId, params.invoiceId);
    if (!invoice) throw problem(404, `team ${team.teamId} has no invoice ${params.invoiceId}`, { field: 'path.invoiceId' });
    return invoice;
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credit-notes', tag, summary: 'Credit notes (money given back on issued invoices), newest first', access: view,
    params: TeamIdParam, response: list('credit notes: number, the invoice they correct, lines, tax and total (negative), where the money went'),
  }, ({ team }) => ledger.creditNotes(team.teamId));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credit-notes/{creditNoteId}', tag, summary: 'A credit note with its lines, tax and the invoice it corrects', access: view,
    params: TeamIdParam.extend({ creditNoteId: Id }), response: Json, errors: [404],
  }, async ({ team, params }) => {
    const note = (await ledger.creditNotes(team.teamId)).find((n: { id: string }) => n.id === params.creditNoteId);
    if (!note) throw problem(404, `team ${team.teamId} has no credit note ${params.creditNoteId}`, { field: 'path.creditNoteId' });
    return note;
  });

  // The documents as PDFs (section 13), drawn as the portal draws them: the links in receipt and credit note emails.
  const pdf = z.string().meta({ description: 'the document as PDF', format: 'binary' });
  // The PDF is drawn from the JSON the API answers (the portal's input): dates as the API writes them.
  const asJson = <T>(value: unknown) => JSON.parse(JSON.stringify(value)) as T;
  const teamName = async (teamId: string) => ((await ctx.db('teams').where({ id: teamId }).first('name')) as { name: string } | undefined)?.name ?? teamId;

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/invoices/{invoiceId}/pdf', tag, summary: 'An invoice as PDF', access: view, mediaType: 'application/pdf',
    params: TeamIdParam.extend({ invoiceId: Id }), response: pdf, errors: [404],
  }, async ({ team, params }) => {
    const invoice = await ledger.invoice(team.teamId, params.invoiceId);
    if (!invoice) throw problem(404, `team ${team.teamId} has no invoice ${params.invoiceId}`, { field: 'path.invoiceId' });
    return invoicePdf(asJson<InvoiceDetail>(invoice), await teamName(team.teamId));
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credit-notes/{creditNoteId}/pdf', tag, summary: 'A credit note as PDF', access: view, mediaType: 'application/pdf',
    params: TeamIdParam.extend({ creditNoteId: Id }), response: pdf, errors: [404],
  }, async ({ team, params }) => {
    const note = (await ledger.creditNotes(team.teamId)).find((n: { id: string }) => n.id === params.creditNoteId);
    if (!note) throw problem(404, `team ${team.teamId} has no credit note ${params.creditNoteId}`, { field: 'path.creditNoteId' });
    return creditNotePdf(asJson<CreditNoteDetail>(note), await teamName(team.teamId));
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/payments', tag, summary: 'Payment history, newest first', access: view, params: TeamIdParam,
    response: list('payments, with what was refunded'),
  }, ({ team }) => ledger.payments(team.teamId));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/balance', tag, summary: 'The team balance and its transactions', access: view, params: TeamIdParam,
    response: z.object({ balance: z.int(), transactions: z.array(Json) }),
  }, ({ team }) => ledger.balance(team.teamId));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/credit-history', tag, summary: 'Credits contributed to, used by and expired for the team', access: view,
    params: TeamIdParam, response: list('credit transactions'),
  }, ({ team }) => ledger.creditHistory(team.teamId));

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/notifications', tag, summary: 'In-product messages about the subscription (admins and billing managers)',
    access: view, params: TeamIdParam, response: list('notifications, newest first'),
  }, ({ team }) => ledger.notifications(team.teamId));

  return router;
}
