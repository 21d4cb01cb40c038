// The billing portal under /portal: the link exchange, the pages, the page's API proxy and its two assets.
// Every page reads through the engine's API as the session's user (api-client.ts), so it shows what that user may see.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router, type RequestHandler } from 'express';
import type { ApiContext } from '../api/context';
import type { BillingAction, Role } from '../domain';
import { ApiRefusal, loopbackBase, portalApi, type PortalApi } from './api-client';
import { sendPage } from './headers';
import { html } from './html';
import { plainPage } from './layout';
import { failurePage, noBillingAccessPage, sessionEndedPage } from './pages/errors';
import { INVITATION_ID, invitationPageRoute } from './invitation-route';
import { portalPages, type PageHandler } from './page-routes';

export type { PageHandler, PageInput } from './page-routes';
import { portalProxy } from './proxy';
import { readSessionCookie, setSessionCookie } from './session-cookie';
import { portalSessions, type PortalSession } from './sessions';
import { may, type Viewer } from './viewer';

const LINK_TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export function portalRoutes(ctx: ApiContext): Router {
  const router = Router();
  const sessions = portalSessions(ctx.db);

  router.get('/assets/:name', assetRoute());

  // The link: traded once for the cookie. The answer is a page that moves on by itself rather than a redirect:
  // the browser withholds a SameSite=Strict cookie from a redirect chain that began on another site (the SaaS).
  // A session made for an invitation (`?invitation=`) opens the invitation's page instead of the plan.
  router.get('/s/:token', async (req, res, next) => {
    try {
      const token = String(req.params.token);
      const invitation = typeof req.query.invitation === 'string' && INVITATION_ID.test(req.query.invitation) ? req.query.invitation : null;
      const opens = invitation ? `/portal/invitations/${invitation}` : '/portal/';
      const session = LINK_TOKEN.test(token) ? await sessions.exchange(token) : null;
      if (!session) {
        const cookie = readSessionCookie(req);
        if (cookie && (await sessions.byCookie(cookie))) return void res.redirect(303, opens);
        return sendPage(res, 410, sessionEndedPage());
      }
      setSessionCookie(req, res, session.cookieSecret, session.expiresAt);
      res.set('Refresh', `0; url=${opens}`);
      const what = invitation ? 'your invitation' : 'your billing page';
      sendPage(res, 200, plainPage(`Opening ${what}`, html`<p><a href="${opens}">Continue to ${what}</a></p>`));
    } catch (error) {
      next(error);
    }
  });

  // Every other portal request needs a live session.
  router.use(async (req, res, next) => {
    try {
      const cookie = readSessionCookie(req);
      const session = cookie ? await sessions.byCookie(cookie) : null;
      if (session) res.locals.portalSession = session;
      next();
    } catch (error) {
      next(error);
    }
  });

  router.use('/api', portalProxy(ctx));
  router.get('/invitations/:invitationId', invitationPageRoute(ctx));

  const page = (action: BillingAction, handler: PageHandler): RequestHandler => async (req, res, next) => {
    try {
      const session = res.locals.portalSession as PortalSession | undefined;
      if (!session) return sendPage(res, 401, sessionEndedPage());
      const api = portalApi(loopbackBase(req), ctx.serviceToken, session.userId);
      const viewer = await loadViewer(api, session);
      if (!viewer) return sendPage(res, 403, noBillingAccessPage(null));
      if (!may(viewer, action)) return sendPage(res, 403, noBillingAccessPage(viewer.teamName));
      const body = await handler({ req, res, api, viewer, session });
      if (body) sendPage(res, 200, body);
    } catch (error) {
      if (error instanceof ApiRefusal) return sendPage(res, error.status === 404 ? 404 : error.status === 403 ? 403 : 502, failurePage(error.status, error.problem));
      next(error);
    }
  };
  portalPages(ctx, router, page);
  return router;
}

/** The team and the user as the API has them now; null when the user has lost every role on the team. */
async function loadViewer(api: PortalApi, session: PortalSession): Promise<Viewer | null> {
  try {
    const [team, me] = await Promise.all([
      api.get<{ name: string; roles: Role[] }>(`/v1/teams/${encodeURIComponent(session.teamId)}`),
      api.get<{ name: string }>('/v1/users/me'),
    ]);
    return { teamId: session.teamId, teamName: team.name, userName: me.name, roles: team.roles, expiresAt: session.expiresAt, returnUrl: session.returnUrl };
  } catch (error) {
    if (error instanceof ApiRefusal && error.status === 403) return null;
    throw error;
  }
}

const ASSETS: Record<string, string> = { 'portal.css': 'text/css', 'portal.js': 'text/javascript' };

/** The stylesheet and the script, read once. */
function assetRoute(): RequestHandler {
  const cache = new Map<string, string>();
  return (req, res) => {
    const name = String(req.params.name);
    const type = ASSETS[name];
    if (!type) return void res.status(404).end();
    if (!cache.has(name)) cache.set(name, readFileSync(join(__dirname, 'assets', name), 'utf8'));
    res.set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }).type(type).send(cache.get(name));
  };
}
