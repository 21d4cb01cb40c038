import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { collectDefaultMetrics } from 'prom-client';
import { chmodSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createBillingActivities } from './activities';
import { createApi } from './api/app';
import { loadConfig, sellerSettings, workerTuning } from './config';
import { createDb, migrateToLatest } from './ledger/db';
import { startEmbeddedPostgres } from './infra/embedded-postgres';
import { registerSearchAttributes, searchAttributeArgs } from './infra/search-attributes';
import { serviceToken } from './infra/service-token';
import { ensureEngineSchedules } from './infra/schedules';
import { startTemporalDevServer } from './infra/temporal-dev-server';
import { createLogger } from './logger';
import { metrics } from './observability/metrics';
import { metricsPort, startMetricsServer } from './observability/metrics-server';
import { workflowClientMetrics } from './observability/workflow-client-metrics';
import { temporalLogLevel, temporalRuntimeLogger } from './temporal-logger';
import { createPaymentProvider, createStripeInvoicing } from './payments';
import { createBillingWorker } from './worker';

/**
 * `npm start`: the whole engine on embedded defaults. Postgres (unless DATABASE_URL), the Temporal dev server with
 * its UI (unless TEMPORAL_ADDRESS), a worker and the API. State lives in DATA_DIR, so a restart resumes every workflow.
 * Ctrl-C or SIGTERM stops everything it started, in reverse order.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const workerMetricsPort = metricsPort();
  collectDefaultMetrics({ register: metrics().registry }); // Node's own: memory, event loop lag, GC
  const stops: { name: string; stop: () => Promise<unknown> }[] = [];
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error, component: name }, 'failed to stop'));
    }
    logger.info('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  // `npm start` killed with SIGTERM does not pass it on: its shell dies and this process is re-parented. Notice that,
  // so no server is left behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent process exited', 0);
  }, 1000).unref();

  try {
    mkdirSync(config.DATA_DIR, { recursive: true });
    chmodSync(config.DATA_DIR, 0o755); // the embedded Postgres runs as the `postgres` user when we are root

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({ dataDir: join(config.DATA_DIR, 'postgres') });
      stops.push({ name: 'postgres', stop: postgres.stop });
      databaseUrl = postgres.url;
    }
    const db = createDb(databaseUrl);
    stops.push({ name: 'database pool', stop: () => db.destroy() });
    const ran = await migrateToLatest(db);
    logger.info({ migrations: ran }, ran.length ? 'ledger migrated' : 'ledger schema up to date');

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let uiUrl = config.TEMPORAL_UI_URL;
    if (!temporalAddress) {
      const dir = join(config.DATA_DIR, 'temporal');
      mkdirSync(dir, { recursive: true });
      const server = await startTemporalDevServer({
        dataDir: dir,
        port: 7233,
        uiPort: config.TEMPORAL_UI_PORT,
        persistent: true,
        searchAttributes: searchAttributeArgs(),
      });
      stops.push({ name: 'temporal dev server', stop: server.stop });
      temporalAddress = server.address;
      uiUrl ??= server.uiUrl;
    }

    Runtime.install({
      logger: temporalRuntimeLogger(logger, temporalLogLevel(config.LOG_LEVEL)),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
      // This process stops the worker itself, after the API and before the servers it runs on.
      shutdownSignals: [],
    });
    const connection = await Connection.connect({ address: temporalAddress });
    stops.push({ name: 'temporal client', stop: () => connection.close() });
    if (config.TEMPORAL_ADDRESS) await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    const temporal = new Client({
      connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: { workflow: [workflowClientMetrics(metrics())] },
    });
    for (const schedule of await ensureEngineSchedules(temporal, { taskQueue: config.TASK_QUEUE })) {
      logger.info({ scheduleId: schedule.handle.scheduleId, created: schedule.created, updated: schedule.updated }, 'schedule in place');
    }
    if (workerMetricsPort !== null) {
      // The split roles' worker has no API to serve /metrics: it serves them itself.
      const metricsServer = await startMetricsServer(metrics().registry, workerMetricsPort);
      stops.push({ name: 'metrics server', stop: metricsServer.stop });
      logger.info({ port: metricsServer.port }, 'metrics served on /metrics');
    }

    if (config.SEATBILL_ROLE !== 'api') {
      const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
      const worker = await createBillingWorker({
        connection: nativeConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TASK_QUEUE,
        maxChargesPerSecond: config.PAYMENT_PROVIDER_MAX_RPS,
        activities: createBillingActivities({
          db, payments: createPaymentProvider(config, db), stripeInvoices: createStripeInvoicing(config), temporal, seller: sellerSettings(config),
          maxChargesPerSecond: config.PAYMENT_PROVIDER_MAX_RPS, // the same pace as the worker's charges task queue
        }),
        tuning: workerTuning(config),
      });
      const workerRun = worker.run();
      stops.push({
        name: 'worker',
        stop: async () => {
          worker.shutdown(); // drains: in-flight activities get shutdownGraceTime to finish
          await workerRun;
          await nativeConnection.close();
        },
      });
      workerRun.catch((error: unknown) => {
        logger.fatal({ err: error }, 'worker failed');
        void shutdown('worker failed', 1);
      });
    }
    if (config.SEATBILL_ROLE === 'worker') {
      process.stderr.write(`seatbill worker is running on ${temporalAddress}, task queue ${config.TASK_QUEUE}\n`);
      return;
    }

    const token = serviceToken(config.DATA_DIR, config.BILLING_SERVICE_TOKEN);
    // The embedded dev server's UI, when no TEMPORAL_UI_URL is set: invoices link into it.
    const app = createApi({ config: { ...config, ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}) }, db, temporal, logger });
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(config.PORT, () => resolve(listening));
    });
    stops.push({
      name: 'api',
      // Stops accepting; in-flight requests finish before close calls back.
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    });

    const api = `http://localhost:${config.PORT}`;
    const lines = [
      '',
      'seatbill is running',
      `  API            ${api}`,
      `  OpenAPI        ${api}/openapi.json`,
      `  Health         ${api}/health  ${api}/ready`,
      `  Metrics        ${api}/metrics${workerMetricsPort !== null ? `  (and :${workerMetricsPort}/metrics)` : ''}`,
      `  Temporal UI    ${uiUrl ?? '(not started: TEMPORAL_ADDRESS points at an external server)'}`,
      `  Temporal       ${temporalAddress}  namespace ${config.TEMPORAL_NAMESPACE}  task queue ${config.TASK_QUEUE}`,
      `  Data           ${config.DATA_DIR}`,
      token.generated ? `  Service token  ${token.token}  (generated; kept in ${token.file})` : `  Service token  ${token.file ? `in ${token.file}` : 'from BILLING_SERVICE_TOKEN'}`,
      '',
    ];
    process.stderr.write(lines.join('\n') + '\n');
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await shutdown('start-up failed', 1);
  }
}

void main();
