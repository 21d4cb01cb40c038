import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest, type Db } from '../ledger/db';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';

export interface IsolatedLedger {
  db: Db;
  /** Where it is, for another process on this machine (a benchmark's worker processes). */
  url: string;
  /** Drops everything the simulation wrote. */
  close(): Promise<void>;
}

/**
 * A ledger of the simulation's own, thrown away afterwards, so a simulation never touches real teams:
 * - with `serverUrl` (the API's Postgres), a new database on that server, dropped at the end;
 * - without, an embedded Postgres in a temporary directory, deleted at the end.
 */
export async function openIsolatedLedger(serverUrl?: string): Promise<IsolatedLedger> {
  return serverUrl ? throwawayDatabase(serverUrl) : throwawayServer();
}

async function throwawayDatabase(serverUrl: string): Promise<IsolatedLedger> {
  const name = `simulation_${randomBytes(8).toString('hex')}`;
  const admin = createDb(serverUrl, { pool: { min: 0, max: 1 } });
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  return migrated(db, url.toString(), async () => {
    await db.destroy();
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
  });
}

async function throwawayServer(): Promise<IsolatedLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'seatbill-simulation-'));
  chmodSync(dir, 0o755); // as root, Postgres runs as the `postgres` user, which must reach its data directory
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), database: 'simulation' }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const db = createDb(postgres.url);
  return migrated(db, postgres.url, async () => {
    await db.destroy();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  });
}

/** The ledger schema on the new database; if that fails, the database is thrown away at once. */
async function migrated(db: Db, url: string, close: () => Promise<void>): Promise<IsolatedLedger> {
  try {
    await migrateToLatest(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, url, close };
}
