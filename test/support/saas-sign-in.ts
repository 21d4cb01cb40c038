// The SaaS's side of an invitation's link, as PORTAL_SIGN_IN_URL names it: a sign-in page (an email address stands
// for a password here), then a portal session made for the invitation as the signed-in user, and a redirect to it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortalHarness } from './portal-harness';

export interface SaasSignIn {
  /** For PORTAL_SIGN_IN_URL: `<base>/sign-in?invitation={invitationId}`. */
  url: string;
  /** The app's accounts: email → user ID. */
  accounts: Map<string, string>;
  close(): Promise<void>;
}

export async function startSaasSignIn(portal: () => PortalHarness): Promise<SaasSignIn> {
  const accounts = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://saas');
    if (req.method === 'GET' && url.pathname === '/sign-in') {
      const invitation = url.searchParams.get('invitation') ?? '';
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Sign in to the app</title><h1>Sign in to the app</h1>
<form method="post" action="/sign-in"><input type="hidden" name="invitation" value="${encodeURIComponent(invitation)}">
<label for="email">Email</label><input id="email" name="email"><button type="submit">Sign in</button></form>`);
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const userId = accounts.get(form.get('email') ?? '');
      if (req.method !== 'POST' || url.pathname !== '/sign-in' || !userId) return void res.writeHead(403).end('unknown account');
      portal().invitationUrl(userId, decodeURIComponent(form.get('invitation') ?? '')).then(
        (session) => res.writeHead(303, { location: session.url }).end(),
        (error: Error) => res.writeHead(502).end(error.message),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sign-in?invitation={invitationId}`,
    accounts,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
