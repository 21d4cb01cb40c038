// The page's own calls (quote, confirm, cancel, invite…): /portal/api/<path> becomes /v1/teams/<session team>/<path>,
// sent as the session's user. The team comes from the session, never from the browser, and only the billing
// actions the portal offers pass; the API then checks the user's rights as for any other client. An invitee's
// answer, /portal/api/invitations/<id>/(accept|decline), is the one call outside the team: the invitee has no role
// on it yet, and the API lets only the invited email's account answer.
import type { Request, RequestHandler } from 'express';
import type { ApiContext } from '../api/context';
import { loopbackBase, portalApi } from './api-client';
import { secure } from './headers';
import { customerMessage, DECLINED } from './messages';
import type { PortalSession } from './sessions';

const ALLOWED: readonly { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/(quotes|subscription|subscription\/(plan-change|cancel|withdraw-pending-change)|payment-method|billing-manager-invitations|seat-orders\/(quote|seats)|coupon)$/ },
  { method: 'DELETE', path: /^\/(billing-managers|billing-manager-invitations)\/[A-Za-z0-9_-]{1,64}$/ },
  { method: 'PUT', path: /^\/billing-details$/ },
  { method: 'DELETE', path: /^\/payment-method$/ },
];

const INVITATION_ANSWER = /^\/invitations\/([A-Za-z0-9_-]{1,64})\/(accept|decline)$/;

/** Where a call goes in the API; null for a call the portal does not offer. */
function apiPath(method: string, path: string, session: PortalSession): string | null {
  const answer = method === 'POST' ? INVITATION_ANSWER.exec(path) : null;
  if (answer) return `/v1/billing-manager-invitations/${answer[1]}/${answer[2]}`;
  if (!ALLOWED.some((rule) => rule.method === method && rule.path.test(path))) return null;
  return `/v1/teams/${encodeURIComponent(session.teamId)}${path}`;
}

/** A charge that came back unpaid: the change is made, but the card was declined. */
function unpaidInvoice(body: unknown): boolean {
  const record = body as { invoice?: { status?: string; charged?: number }; status?: string; invoiceId?: string } | null;
  const invoice = record?.invoice ?? (record?.invoiceId ? record : null);
  return !!invoice && (invoice.status === 'open' || invoice.status === 'failed');
}

/** Same-origin requests only: SameSite=Strict already keeps the cookie off other sites' requests; this says so twice. */
const crossSite = (req: Request) => {
  const site = req.get('sec-fetch-site');
  return site !== undefined && site !== 'same-origin';
};

export function portalProxy(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    try {
      secure(res);
      const session = res.locals.portalSession as PortalSession | undefined;
      if (!session) {
        res.status(401).json({ status: 401, code: 'session_expired', message: customerMessage(401, { code: 'session_expired' }) });
        return;
      }
      const path = crossSite(req) ? null : apiPath(req.method, req.path, session);
      if (path === null) {
        res.status(403).json({ status: 403, code: 'forbidden', message: customerMessage(403, null) });
        return;
      }
      const api = portalApi(loopbackBase(req), ctx.serviceToken, session.userId);
      const body = req.method === 'POST' || req.method === 'PUT' ? (req.body ?? {}) : undefined;
      const answer = await api.call(req.method, path, body, req.get('idempotency-key'));
      const out = answer.body as Record<string, unknown> | null;
      if (answer.status >= 400) {
        res.status(answer.status).json({ ...out, message: customerMessage(answer.status, out) });
      } else if (unpaidInvoice(out)) {
        res.status(answer.status).json({ ...out, declined: true, message: DECLINED });
      } else {
        res.status(answer.status).json(out);
      }
    } catch (error) {
      next(error);
    }
  };
}
