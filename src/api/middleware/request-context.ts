// Every API request gets a request ID (the caller's `X-Request-Id` when it is a sane token, else a new UUID), sent
// back in the response header. The request runs inside the log context, so every log line written while serving
// it carries the request ID (and the team of a `/v1/teams/{teamId}/…` path); one access line is logged at the end.
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { withLogContext } from '../../observability/log-context';
import type { Metrics } from '../../observability/metrics';

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const TEAM_PATH = /^\/v1\/teams\/([^/]+)/;

/** The Express route pattern that served the request (`/v1/teams/:teamId/invoices`), never the raw path. */
export function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

export function requestContext(deps: { logger: Logger; metrics: Metrics }): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const teamId = TEAM_PATH.exec(req.path)?.[1];
    const context = { requestId, ...(teamId ? { teamId } : {}) };
    const log = deps.logger.child(context);
    res.locals.requestId = requestId;
    res.locals.log = log;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routePattern(req);
      deps.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      log.info({ method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000) }, 'request completed');
    });
    withLogContext(context, next);
  };
}
