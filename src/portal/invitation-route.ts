// The invitation email's link (issue 25): GET /portal/invitations/{invitationId}. Not signed in, the person goes to
// the app's sign-in (PORTAL_SIGN_IN_URL), which comes back through a portal session made for the invitation; signed
// in, the page reads the invitation through the API as that account, which shows it to the invited email only.
import type { RequestHandler } from 'express';
import type { ApiContext } from '../api/context';
import { ApiRefusal, loopbackBase, portalApi } from './api-client';
import { sendPage } from './headers';
import { failurePage } from './pages/errors';
import { invalidInvitationPage, invitationPage, signInFirstPage, type InviteeInvitation } from './pages/invitation';
import type { PortalSession } from './sessions';

export const INVITATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function invitationPageRoute(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    const invitationId = String(req.params.invitationId);
    const signInUrl = ctx.config.PORTAL_SIGN_IN_URL?.replace('{invitationId}', encodeURIComponent(invitationId)) ?? null;
    try {
      const session = res.locals.portalSession as PortalSession | undefined;
      if (!session) return signInUrl ? void res.redirect(303, signInUrl) : sendPage(res, 401, signInFirstPage());
      if (!INVITATION_ID.test(invitationId)) return sendPage(res, 404, invalidInvitationPage(signInUrl));
      const api = portalApi(loopbackBase(req), ctx.serviceToken, session.userId);
      const invitation = await api.get<InviteeInvitation>(`/v1/billing-manager-invitations/${encodeURIComponent(invitationId)}`);
      // After accepting, this session's billing pages are the team's when the session was made for it.
      const onThisTeam = 'teamId' in invitation.scope && invitation.scope.teamId === session.teamId;
      sendPage(res, 200, invitationPage(invitation, session.userId, onThisTeam ? '/portal/billing-managers' : null));
    } catch (error) {
      if (error instanceof ApiRefusal) {
        return error.status === 404 ? sendPage(res, 404, invalidInvitationPage(signInUrl)) : sendPage(res, 502, failurePage(error.status, error.problem));
      }
      next(error);
    }
  };
}
