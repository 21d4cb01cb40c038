// The portal's session cookie. HttpOnly: the page's scripts never see it. SameSite=Strict: no other site can make
// the browser send it, which is the portal's defence against cross-site requests. Path=/portal: the API never gets it.
import type { Request, Response } from 'express';

export const COOKIE = 'seatbill_portal';

export function readSessionCookie(req: Request): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

export function setSessionCookie(req: Request, res: Response, secret: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  res.cookie(COOKIE, secret, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/portal', maxAge: maxAge * 1000 });
}
