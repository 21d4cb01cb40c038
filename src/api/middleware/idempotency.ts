// `Idempotency-Key` on every POST: the same key with the same request replays the first response and does nothing
// again; the same key with another request is a 422. Keys are scoped by caller and kept 24 hours in Postgres.
// Only requests that passed validation get here, and a 5xx is not kept, so a retry after a failure runs again.
// A running request's claim is a lease of IDEMPOTENCY_LEASE_SECONDS, renewed every third of it while it runs: if its
// process dies, the same request may take the key over once the lease has lapsed, and its workflow updates keep their
// IDs (idempotent-request.ts), so what the first attempt did is not done twice.
import { createHash, randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { ApiContext } from '../context';
import { runAsIdempotentRequest } from '../idempotent-request';
import { problem } from '../problem';
import type { Principal } from '../principal';

export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY = /^[\x21-\x7e]{1,255}$/;

interface StoredKey {
  request_hash: string;
  status: number | null;
  response: { body: unknown; contentType: string } | null;
  lease_seconds_left: number | null;
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
  const leaseSeconds = ctx.config.IDEMPOTENCY_LEASE_SECONDS;
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
      const holder = randomUUID();

      purgeExpired();
      // Claimed in one statement: a new key; a key whose 24 hours are over (afresh: a new `created_at`); or the same
      // request's key whose holder's lease lapsed without an answer (taken over: the same `created_at`).
      const lease = db.raw(`now() + make_interval(secs => ${leaseSeconds})`);
      const expiresAt = db.raw(`now() + interval '${IDEMPOTENCY_TTL_HOURS} hours'`);
      const expired = 'idempotency_keys.expires_at < now()';
      const claimed = (await db('idempotency_keys')
        .insert({ scope, key, request_hash: hash, expires_at: expiresAt, holder, lease_expires_at: lease })
        .onConflict(['scope', 'key'])
        .merge({
          request_hash: hash, holder, lease_expires_at: lease, status: null, response: null,
          expires_at: db.raw(`CASE WHEN ${expired} THEN excluded.expires_at ELSE idempotency_keys.expires_at END`),
          created_at: db.raw(`CASE WHEN ${expired} THEN now() ELSE idempotency_keys.created_at END`),
        })
        .where(db.raw(expired))
        .orWhere((lapsed) => lapsed
          .whereNull('idempotency_keys.status')
          .where('idempotency_keys.request_hash', hash)
          .where('idempotency_keys.lease_expires_at', '<', db.fn.now()))
        .returning('created_at')) as { created_at: Date }[];
      if (claimed.length === 0) {
        const stored = (await db('idempotency_keys').where({ scope, key })
          .first('request_hash', 'status', 'response', db.raw('ceil(extract(epoch from lease_expires_at - now()))::int as lease_seconds_left'))) as StoredKey;
        if (stored.request_hash !== hash) {
          throw problem(422, 'this Idempotency-Key was used for a different request', { field: 'header.idempotency-key', code: 'idempotency_key_reused' });
        }
        if (stored.status === null || !stored.response) {
          res.set('Retry-After', String(Math.max(1, stored.lease_seconds_left ?? 1)));
          throw problem(409, 'a request with this Idempotency-Key is still running; retry later', { field: 'header.idempotency-key', code: 'idempotency_key_in_use' });
        }
        res.set('Idempotent-Replayed', 'true');
        res.status(stored.status).type(stored.response.contentType).send(JSON.stringify(stored.response.body));
        return;
      }

      const ours = () => db('idempotency_keys').where({ scope, key, holder });
      const renewal = setInterval(() => {
        ours().update({ lease_expires_at: lease }).then((renewed) => {
          if (renewed === 0) ctx.logger.warn({ key }, 'lost the lease on an idempotency key: another request took it over');
        }).catch((error: unknown) => ctx.logger.warn({ err: error, key }, 'could not renew the lease on an idempotency key'));
      }, (leaseSeconds * 1000) / 3);
      renewal.unref();
      res.once('close', () => clearInterval(renewal));
      keepResponse(res, async (status, body) => {
        clearInterval(renewal);
        // A failure is not kept: its lease is given up, so a retry of the same request runs again at once, as the
        // same request (what the failed attempt did, such as a workflow update, is found again, not redone).
        if (status >= 500) await ours().update({ lease_expires_at: db.raw("now() - interval '1 second'") });
        else await ours().update({ status, response: { body, contentType: String(res.get('content-type') ?? 'application/json') }, lease_expires_at: null });
      }, (error) => ctx.logger.error({ err: error, key }, 'failed to keep an idempotent response'));
      // The request's identity for its workflow updates: the key's caller, the key and when it was claimed afresh.
      const requestId = createHash('sha256').update(JSON.stringify([scope, key, claimed[0]!.created_at.toISOString()])).digest('base64url');
      runAsIdempotentRequest(requestId, () => next());
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
