// Limits on /v1: requests per minute per API token (express-rate-limit, in this process's memory), and a deadline for
// each request. Both answer problem+json with Retry-After, like every other refusal.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../config';
import { problem } from '../problem';

/**
 * Per token: a user's API token by its hash; the service token as one (its limit is the SaaS backend's, none by
 * default: it answers every user's page views). Runs after authentication, so an unknown token is a 401 first.
 */
export function perTokenRateLimit(config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'SERVICE_RATE_LIMIT_PER_MINUTE'>): RequestHandler {
  const limitOf = (kind: string | undefined) => (kind === 'service' ? config.SERVICE_RATE_LIMIT_PER_MINUTE : config.RATE_LIMIT_PER_MINUTE);
  return rateLimit({
    windowMs: 60_000,
    limit: (req) => limitOf(req.principal?.kind),
    skip: (req) => limitOf(req.principal?.kind) === 0,
    keyGenerator: (req) =>
      req.principal?.kind === 'service' ? 'service' : `token:${createHash('sha256').update(req.get('authorization') ?? '').digest('hex')}`,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Retry-After is set by the library (seconds until the window resets) before this runs.
    handler: (_req, _res, next, options) => {
      next(problem(429, `at most ${String(options.limit)} requests a minute per API token; retry after the seconds Retry-After says`, { code: 'rate_limited' }));
    },
  });
}

/**
 * Answers 503 when a request is not answered within `seconds` (a workflow update waiting on a worker that is down,
 * say). The handler may still finish: its answer is then kept for the Idempotency-Key, not sent.
 */
export function requestDeadline(secondsFor: (req: Request) => number): RequestHandler {
  return (req, res, next) => {
    const seconds = secondsFor(req);
    const json = res.json.bind(res);
    let late = false;
    res.json = (body: unknown) => (late ? res : json(body));
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.status(503).type('application/problem+json').set('Retry-After', '1');
      json({
        type: 'about:blank', status: 503, title: 'Service Unavailable', code: 'request_timeout',
        detail: `no answer within ${seconds} s; retry with the same Idempotency-Key to get its outcome`,
      });
      late = true;
    }, seconds * 1000);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
