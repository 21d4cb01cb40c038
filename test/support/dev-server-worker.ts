import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createBillingActivities } from '../../src/activities';
import { installQuietRuntime } from '../../src/infra/quiet-runtime';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createBillingWorker } from '../../src/worker';
import { createTestDatabase, type TestDatabase } from './database';
import { integrationEnv } from './integration-env';

export interface DevServerWorker {
  testDb: TestDatabase;
  client: Client;
  /** Stops the worker and closes the connections and the database. */
  close(): Promise<void>;
}

/**
 * A real billing worker on the integration project's Temporal dev server (for what the time-skipping server lacks,
 * such as Schedules), with the real activities on a database of its own.
 */
export async function startDevServerWorker(taskQueue: string): Promise<DevServerWorker> {
  const { temporalAddress } = integrationEnv();
  const testDb = await createTestDatabase();
  installQuietRuntime();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createBillingWorker({
    connection: nativeConnection, namespace: 'default', taskQueue, bundle: await workflowBundle(),
    activities: createBillingActivities({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }), temporal: client }),
  });
  const running = worker.run();
  return {
    testDb,
    client,
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await testDb.drop();
    },
  };
}

/** Polls `probe` until it answers something, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
