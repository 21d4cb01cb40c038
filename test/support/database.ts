import { randomBytes } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '../../src/ledger/db';
import { integrationEnv } from './integration-env';

export interface TestDatabase {
  db: Db;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A database of its own for one test file, on the shared real Postgres; migrated unless `migrate: false`. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const { databaseUrl } = integrationEnv();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createDb(databaseUrl, { pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE "${name}"`);
  const url = databaseUrl.replace(/\/[^/]+$/, `/${name}`);
  const db = createDb(url);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
