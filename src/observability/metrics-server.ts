// The worker's own /metrics, for the split Docker roles: there no API runs in the worker's process to serve them.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** METRICS_PORT from the environment: a port, or null when unset (no server). */
export function metricsPort(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = env.METRICS_PORT;
  if (value === undefined || value === '') return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid configuration: METRICS_PORT: not a port: ${value}`);
  return port;
}

/** Serves `GET /metrics` (Prometheus text format) and `GET /health` on `port`. */
export async function startMetricsServer(registry: Registry, port: number): Promise<{ server: Server; port: number; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    } else if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"alive"}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
