import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import { createApi } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { integrationEnv } from '../support/integration-env';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The operator's side of the API on the real ledger: each invoice names the workflow run that charged it and links
// to that run's history in the Temporal UI; every response carries its request ID; /metrics is Prometheus text.
let testDb: TestDatabase;
let connection: Connection;
let app: ReturnType<typeof createApi>;
const serviceToken = 'sbt_ops_api_tests_0123456789';
const platform = { authorization: `Bearer ${serviceToken}` };

beforeAll(async () => {
  testDb = await createTestDatabase();
  connection = await Connection.connect({ address: integrationEnv().temporalAddress });
  const config = loadConfig({
    BILLING_SERVICE_TOKEN: serviceToken, DATA_DIR: mkdtempSync(join(tmpdir(), 'seatbill-ops-')), LOG_LEVEL: 'fatal',
    TEMPORAL_UI_URL: 'http://localhost:8233', TEMPORAL_NAMESPACE: 'default', METRICS_TOKEN: 'metrics-token-of-the-ops-tests',
  });
  app = createApi({ config, db: testDb.db, temporal: new Client({ connection }), logger: pino({ level: 'fatal' }), serviceToken });
  await testDb.db('teams').insert({ id: 'team-ops', name: 'Ops', billing_country: 'US' });
  await testDb.db('invoices').insert([
    { id: 'inv_wf', team_id: 'team-ops', idempotency_key: 'team-ops:subscribe:2026-05-20', number: 'INV-2026-000001', reason: 'subscribe', status: 'paid', issued_on: '2026-05-20', total: 1200, charged: 1200, workflow_id: 'team:team-ops', run_id: 'run-1' },
    { id: 'inv_manual', team_id: 'team-ops', idempotency_key: 'team-ops:manual:2026-05-21', number: 'INV-2026-000002', reason: 'seat_order', status: 'open', issued_on: '2026-05-21', total: 500 },
  ]);
}, 60_000);

afterAll(async () => {
  await connection?.close();
  await testDb?.drop();
});

test('an invoice links to the history of the workflow run that charged it', async () => {
  const one = await request(app).get('/v1/teams/team-ops/invoices/inv_wf').set(platform).expect(200);
  expect(one.body.evidence).toEqual({
    workflowId: 'team:team-ops', runId: 'run-1', temporalUiUrl: 'http://localhost:8233/namespaces/default/workflows/team%3Ateam-ops/run-1/history',
  });
  expect(one.body).not.toHaveProperty('workflowId');
  const list = await request(app).get('/v1/teams/team-ops/invoices').set(platform).expect(200);
  expect(list.body.map((invoice: { id: string; evidence: unknown }) => [invoice.id, invoice.evidence])).toEqual([
    ['inv_manual', { workflowId: null, runId: null, temporalUiUrl: null }],
    ['inv_wf', one.body.evidence],
  ]);
});

test('every response carries a request ID; latency is served at /metrics by route pattern', async () => {
  const res = await request(app).get('/v1/teams/team-ops/invoices').set(platform).set('x-request-id', 'support-ticket-42').expect(200);
  expect(res.headers['x-request-id']).toBe('support-ticket-42');
  const denied = await request(app).get('/v1/teams/team-ops/invoices').expect(401);
  expect(denied.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const metrics = await request(app).get('/metrics').set('authorization', 'Bearer metrics-token-of-the-ops-tests').expect(200);
  expect(metrics.text).toMatch(/seatbill_http_request_duration_seconds_count\{method="GET",route="\/v1\/teams\/:teamId\/invoices",status="200"\} \d+/);
  expect(metrics.text).not.toContain('route="/v1/teams/team-ops');
  await request(app).get('/health').expect(200);
  await request(app).get('/ready').expect(200);
});
