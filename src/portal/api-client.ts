// The portal's only way to billing data: the engine's own HTTP API, called as the session's user (the service token
// with X-Acting-User), so the page has exactly that user's rights, checked by the same operation table as any client.
// Calls go over loopback to the server that is serving the page.
import type { Request } from 'express';
import type { Problem } from '../api/problem';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export class ApiRefusal extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export interface PortalApi {
  /** The answer as it came, whatever its status. */
  call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<ApiAnswer>;
  /** The body of a 2xx GET; an ApiRefusal otherwise. */
  get<T>(path: string): Promise<T>;
}

/** This server as seen from inside: the address and port the page's request came in on. */
export function loopbackBase(req: Request): string {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}`;
}

export function portalApi(base: string, serviceToken: string, userId: string): PortalApi {
  const call = async (method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${serviceToken}`, 'x-acting-user': userId, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  return {
    call,
    async get<T>(path: string): Promise<T> {
      const answer = await call('GET', path);
      if (answer.status >= 300) throw new ApiRefusal(answer.status, answer.body as Problem);
      return answer.body as T;
    },
  };
}
