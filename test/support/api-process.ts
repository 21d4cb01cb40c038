// The API alone in a process of its own, on the servers its environment names (DATABASE_URL, TEMPORAL_ADDRESS,
// TASK_QUEUE, BILLING_SERVICE_TOKEN): for tests that kill it mid-request. Prints `{"port":…}` once it listens.
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createApi } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { createDb } from '../../src/ledger/db';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS! });
  const app = createApi({ config, db: createDb(config.DATABASE_URL!), temporal: new Client({ connection }), logger: pino({ level: 'fatal' }) });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
