import express from 'express';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import request from 'supertest';
import { metricsEndpoint } from '../../src/api/middleware/metrics-endpoint';
import { problemHandler } from '../../src/api/problem';
import { requestContext } from '../../src/api/middleware/request-context';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/observability/metrics';
import { startMetricsServer } from '../../src/observability/metrics-server';
import { workflowRunHistoryUrl } from '../../src/observability/temporal-ui-links';
import { temporalRuntimeLogger } from '../../src/temporal-logger';

function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

const METRICS_TOKEN = 'metrics-token-of-the-tests';

function appWith() {
  const { logger, lines } = capturedLogger();
  const metrics = createMetrics(new Registry());
  const app = express();
  app.use(requestContext({ logger, metrics }));
  app.get('/metrics', metricsEndpoint(metrics.registry, METRICS_TOKEN));
  app.use(problemHandler(() => undefined));
  app.get('/v1/teams/:teamId/invoices', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.info('reading invoices'); // the plain logger: the request's IDs come from the log context
    res.json([]);
  });
  return { app, lines, metrics };
}

test('a request keeps the caller’s X-Request-Id, or gets one; every log line of it carries the request and team IDs', async () => {
  const { app, lines } = appWith();
  const kept = await request(app).get('/v1/teams/team-7/invoices').set('x-request-id', 'req-abc.123').expect(200);
  expect(kept.headers['x-request-id']).toBe('req-abc.123');
  const made = await request(app).get('/v1/teams/team-7/invoices').set('x-request-id', 'no spaces allowed').expect(200);
  expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(lines.filter((line) => line.requestId === 'req-abc.123')).toEqual([
    expect.objectContaining({ msg: 'reading invoices', teamId: 'team-7', service: 'seatbill' }),
    expect.objectContaining({ msg: 'request completed', teamId: 'team-7', route: '/v1/teams/:teamId/invoices', status: 200, method: 'GET' }),
  ]);
});

test('latency is observed by route pattern, never the raw path, and served at /metrics', async () => {
  const { app } = appWith();
  await request(app).get('/v1/teams/a/invoices').expect(200);
  await request(app).get('/v1/teams/b/invoices').expect(200);
  await request(app).get('/nowhere/42').expect(404);
  const text = (await request(app).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200).expect('content-type', /text\/plain/)).text;
  expect(text).toContain('seatbill_http_request_duration_seconds_count{method="GET",route="/v1/teams/:teamId/invoices",status="200"} 2');
  expect(text).toContain('seatbill_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
  expect(text).not.toContain('/v1/teams/a/');
});

test('the API port serves /metrics only to the metrics token, and not at all without one', async () => {
  const { app } = appWith();
  const refused = await request(app).get('/metrics').set('authorization', 'Bearer someone-elses-token').expect(401);
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  await request(app).get('/metrics').expect(401);
  const off = express();
  off.get('/metrics', metricsEndpoint(createMetrics(new Registry()).registry, undefined));
  off.use(problemHandler(() => undefined));
  const answer = await request(off).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(404);
  expect(answer.body.detail).toMatch(/METRICS_PORT/);
});

test('the worker’s own /metrics server serves the registry', async () => {
  const metrics = createMetrics(new Registry());
  metrics.charges.inc({ provider: 'sandbox', outcome: 'succeeded' });
  const server = await startMetricsServer(metrics.registry, 0);
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('seatbill_charges_total{provider="sandbox",outcome="succeeded"} 1');
  } finally {
    await server.stop();
  }
});

test('Temporal runtime lines name the team of a team workflow, and the run', () => {
  const { logger, lines } = capturedLogger('debug');
  const runtime = temporalRuntimeLogger(logger, 'DEBUG');
  runtime.info('Activity completed', { workflowId: 'team:t-9', workflowRunId: 'run-1', activityType: 'issueInvoice' });
  runtime.warn('Workflow task failed', { workflowId: 'credit-expiry-sweep', runId: 'run-2' });
  expect(lines).toEqual([
    expect.objectContaining({ msg: 'Activity completed', teamId: 't-9', workflowId: 'team:t-9', runId: 'run-1', source: 'temporal' }),
    expect.objectContaining({ msg: 'Workflow task failed', workflowId: 'credit-expiry-sweep', runId: 'run-2' }),
  ]);
  expect(lines[1]).not.toHaveProperty('teamId');
});

test('an invoice’s evidence links to its run’s history in the Temporal UI', () => {
  expect(workflowRunHistoryUrl({ url: 'http://localhost:8233/', namespace: 'default' }, 'team:t1', 'abc-123')).toBe(
    'http://localhost:8233/namespaces/default/workflows/team%3At1/abc-123/history',
  );
});
