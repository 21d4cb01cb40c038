import { randomBytes } from 'node:crypto';
import { createBillingActivities, type BillingActivities } from '../../src/activities';
import { createDb, migrateToLatest, type Db } from '../../src/ledger/db';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
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

/** The sandbox's test card that always pays (src/payments/sandbox-cards.ts). */
export const SANDBOX_VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

/**
 * A test file's own migrated ledger and the billing activities over it, paying through the sandbox provider: set
 * up before the file's tests, dropped after them. Read its fields inside tests (they are filled in by beforeAll).
 */
export function sandboxLedgerForFile(): { readonly testDb: TestDatabase; readonly billing: BillingActivities } {
  const ledger = {} as { testDb: TestDatabase; billing: BillingActivities };
  beforeAll(async () => {
    ledger.testDb = await createTestDatabase();
    ledger.billing = createBillingActivities({ db: ledger.testDb.db, payments: { sandbox: createSandboxProvider({ db: ledger.testDb.db }) } });
  });
  afterAll(() => ledger.testDb?.drop());
  return ledger;
}
