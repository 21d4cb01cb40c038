import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { problem } from '../problem';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics` on the API port, in Prometheus' text format: only to `Authorization: Bearer <token>` (METRICS_TOKEN),
 * and not at all without a token. Scrapers without one read METRICS_PORT, which is not the public API's port.
 */
export function metricsEndpoint(registry: Registry, token: string | undefined): RequestHandler {
  const expected = token === undefined ? null : digest(token);
  return async (req, res, next) => {
    try {
      if (!expected) throw problem(404, 'metrics are served on METRICS_PORT; set METRICS_TOKEN to read them here too');
      const presented = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      // Compared as digests of equal length, in constant time.
      if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
        throw problem(401, 'send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`', { field: 'header.authorization' });
      }
      res.type(registry.contentType).send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
