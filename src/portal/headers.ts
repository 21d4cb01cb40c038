// Response headers for every portal response: nothing cached, nothing framed, nothing leaked in a Referer, and
// only the portal's own script and stylesheet may run.
import type { Response } from 'express';
import type { Html } from './html';

const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export function secure(res: Response): Response {
  return res.set({
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
}

export function sendPage(res: Response, status: number, body: Html): void {
  secure(res).status(status).type('html').send(body.text);
}
