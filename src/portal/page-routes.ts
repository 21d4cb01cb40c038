// Each page: what it reads from the API (as the viewer), and which template draws it.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { BillingManager, TeamMember } from '../ledger/accounts/directory';
import type { ApiContext } from '../api/context';
import type { BillingAction, BillingParty, PriceVersion } from '../domain';
import type { TeamSubscriptionView, UpcomingInvoice } from '../workflows/team-subscription-messages';
import { creditNotePdf, invoicePdf } from '../documents/invoice-pdf';
import type { CreditNoteDetail, InvoiceDetail, InvoiceSummary } from '../documents/types';
import { billingDetailsPage } from './pages/billing-details';
import { billingManagersPage, type PendingInvitation } from './pages/billing-managers';
import { creditsPage, type CreditsPageData } from './pages/credits';
import { invoicesPage } from './pages/invoices';
import { paymentMethodsPage } from './pages/payment-methods';
import { planPage } from './pages/plan';
import type { PortalApi } from './api-client';
import type { Html } from './html';
import type { PortalSession } from './sessions';
import { stripeReceiptUrl } from './stripe-receipt';
import { may, type Viewer } from './viewer';

export interface PageInput {
  req: Request;
  res: Response;
  api: PortalApi;
  viewer: Viewer;
  session: PortalSession;
}

/** A page handler returns the page, or nothing when it answered itself (a PDF, a redirect). */
export type PageHandler = (input: PageInput) => Promise<Html | void>;

/** Invoices shown with their lines on one page; older ones are rare enough to ask for. */
const INVOICES_SHOWN = 24;

export function portalPages(ctx: ApiContext, router: Router, page: (action: BillingAction, handler: PageHandler) => RequestHandler): void {
  const team = (teamId: string) => `/v1/teams/${encodeURIComponent(teamId)}`;

  router.get('/', page('view_billing', async ({ api, viewer }) => {
    const base = team(viewer.teamId);
    const [subscription, upcoming, prices, members] = await Promise.all([
      api.get<TeamSubscriptionView>(`${base}/subscription`),
      api.get<UpcomingInvoice | null>(`${base}/upcoming-invoice`),
      api.get<PriceVersion[]>('/v1/prices'),
      // Section 11: the member list only for those who may see it; a billing manager alone never asks for it.
      may(viewer, 'view_team') ? api.get<TeamMember[]>(`${base}/members`) : Promise.resolve(null),
    ]);
    const seatOrders = ctx.operations.some((op) => /seat/.test(op.path));
    return planPage(viewer, { subscription, upcoming, members, seatOrders, prices });
  }));

  router.get('/invoices', page('view_billing', async ({ api, viewer }) => {
    const base = team(viewer.teamId);
    const all = await api.get<InvoiceSummary[]>(`${base}/invoices`);
    const [shown, creditNotes] = await Promise.all([
      Promise.all(all.slice(0, INVOICES_SHOWN).map((i) => api.get<InvoiceDetail>(`${base}/invoices/${encodeURIComponent(i.id)}`))),
      api.get<CreditNoteDetail[]>(`${base}/credit-notes`),
    ]);
    return invoicesPage(viewer, shown, all.length > INVOICES_SHOWN, creditNotes);
  }));

  router.get('/credit-notes/:creditNoteId/pdf', page('view_billing', async ({ api, viewer, req, res }) => {
    const note = await api.get<CreditNoteDetail>(`${team(viewer.teamId)}/credit-notes/${encodeURIComponent(String(req.params.creditNoteId))}`);
    sendPdf(res, `credit-note-${note.number}.pdf`, await creditNotePdf(note, viewer.teamName));
  }));

  router.get('/billing-details', page('manage_payment_methods', async ({ api, viewer }) =>
    billingDetailsPage(viewer, await api.get<BillingParty>(`${team(viewer.teamId)}/billing-details`))));

  router.get('/invoices/:invoiceId/pdf', page('view_billing', async ({ api, viewer, req, res }) => {
    const invoice = await api.get<InvoiceDetail>(`${team(viewer.teamId)}/invoices/${encodeURIComponent(String(req.params.invoiceId))}`);
    // With Stripe, the charge's own receipt, hosted by Stripe; the sandbox has none, so the engine draws one.
    const receipt = ctx.payments.name === 'stripe' ? await stripeReceiptUrl(ctx, invoice) : null;
    if (receipt) return void res.redirect(303, receipt);
    sendPdf(res, `invoice-${String(invoice.issuedOn).slice(0, 10)}-${invoice.id}.pdf`, await invoicePdf(invoice, viewer.teamName));
  }));

  router.get('/payment-methods', page('manage_payment_methods', async ({ api, viewer }) => {
    const subscription = await api.get<TeamSubscriptionView>(`${team(viewer.teamId)}/subscription`);
    return paymentMethodsPage(viewer, { hasPaymentMethod: subscription.hasPaymentMethod, provider: ctx.payments.name });
  }));

  router.get('/credits', page('view_billing', async ({ api, viewer }) => {
    const base = team(viewer.teamId);
    const [credits, history, balance] = await Promise.all([
      api.get<CreditsPageData['credits']>(`${base}/credits`),
      api.get<{ entries: CreditsPageData['history'] }>(`${base}/credits/history?limit=50`),
      api.get<CreditsPageData['balance']>(`${base}/balance`),
    ]);
    return creditsPage(viewer, { credits, history: history.entries, balance });
  }));

  router.get('/billing-managers', page('manage_billing_managers', async ({ api, viewer, session }) => {
    const base = team(viewer.teamId);
    const [managers, invitations] = await Promise.all([
      api.get<BillingManager[]>(`${base}/billing-managers`),
      api.get<PendingInvitation[]>(`${base}/billing-manager-invitations`),
    ]);
    return billingManagersPage(viewer, managers, invitations, session.userId);
  }));
}

/** A document to save, never cached: it names the team and its money. */
function sendPdf(res: Response, filename: string, pdf: Buffer): void {
  res.set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${filename}"` }).type('application/pdf').send(pdf);
}
