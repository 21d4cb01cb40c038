import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/** `GET /metrics` in Prometheus' text format: not under /v1 and not authenticated, like /health; keep it off the public edge. */
export function metricsEndpoint(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      res.type(registry.contentType).send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
