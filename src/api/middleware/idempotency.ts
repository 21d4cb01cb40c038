// `Idempotency-Key` on every POST: the same key with the same request replays the first response and does nothing
// again; the same key with another request is a 422. Keys are scoped by caller and kept 24 hours in Postgres.
// Only requests that passed validation get here, and a 5xx is not kept, so a retry after a failure runs again.
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { ApiContext } from '../context';
import { problem } from '../problem';
import type { Principal } from '../principal';

export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY = /^[\x21-\x7e]{1,255}$/;

interface StoredKey {
  request_hash: string;
  status: number | null;
  response: { body: unknown; contentType: string } | null;
}

function scopeOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `service:${principal.actingUserId ?? 'platform'}`;
}

/** The request a key stands for: method, path and the parsed body (so key order and spacing do not matter). */
function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([method, path, canonical(body)])).digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/** How often an API process deletes expired keys: a delete per POST would cost every request a write. */
const PURGE_EVERY_MS = 60_000;

export function idempotent(ctx: ApiContext): RequestHandler {
  const { db } = ctx;
  let lastPurge = 0;
  const purgeExpired = () => {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    db('idempotency_keys').where('expires_at', '<', db.fn.now()).delete()
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not delete expired idempotency keys; next time'));
  };
  return async (req, res, next) => {
    try {
      const key = req.get('idempotency-key');
      if (key === undefined) throw problem(400, 'every POST needs an Idempotency-Key header', { field: 'header.idempotency-key' });
      if (!KEY.test(key)) throw problem(400, 'Idempotency-Key is 1 to 255 printable ASCII characters', { field: 'header.idempotency-key' });
      const scope = scopeOf(req.principal!);
      const hash = requestHash(req.method, req.originalUrl.split('?')[0]!, res.locals.valid.body);

      purgeExpired();
      // A key whose 24 hours are over is claimed afresh, in the same statement: the purge runs only now and then.
      const expiresAt = db.raw(`now() + interval '${IDEMPOTENCY_TTL_HOURS} hours'`);
      const claimed = await db('idempotency_keys')
        .insert({ scope, key, request_hash: hash, expires_at: expiresAt })
        .onConflict(['scope', 'key'])
        .merge({ request_hash: hash, expires_at: expiresAt, status: null, response: null })
        .where('idempotency_keys.expires_at', '<', db.fn.now())
        .returning('key');
      if (claimed.length === 0) {
        const stored = (await db('idempotency_keys').where({ scope, key }).first()) as StoredKey;
        if (stored.request_hash !== hash) {
          throw problem(422, 'this Idempotency-Key was used for a different request', { field: 'header.idempotency-key', code: 'idempotency_key_reused' });
        }
        if (stored.status === null || !stored.response) {
          throw problem(409, 'a request with this Idempotency-Key is still running; retry later', { field: 'header.idempotency-key', code: 'idempotency_key_in_use' });
        }
        res.set('Idempotent-Replayed', 'true');
        res.status(stored.status).type(stored.response.contentType).send(JSON.stringify(stored.response.body));
        return;
      }
      keepResponse(res, async (status, body) => {
        if (status >= 500) await db('idempotency_keys').where({ scope, key }).delete();
        else await db('idempotency_keys').where({ scope, key }).update({ status, response: { body, contentType: String(res.get('content-type') ?? 'application/json') } });
      }, (error) => ctx.logger.error({ err: error, key }, 'failed to keep an idempotent response'));
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Stores the JSON response before it is sent, so a retry that arrives right after sees it. */
function keepResponse(res: Response, store: (status: number, body: unknown) => Promise<void>, onError: (error: unknown) => void): void {
  const send = res.json.bind(res);
  res.json = (body: unknown) => {
    store(res.statusCode, body)
      .catch(onError)
      .finally(() => send(body));
    return res;
  };
}
