import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { searchAttributeArgs } from '../../src/infra/search-attributes';
import { startStripeMock } from '../../src/infra/stripe-mock-server';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';

/**
 * One set of real servers for the whole integration project: a Temporal dev server, PostgreSQL and stripe-mock.
 * Tests read where they are from the environment (see integration-env.ts). A server that cannot start fails the run.
 */
export default async function setup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seatbill-it-'));
  chmodSync(dir, 0o755); // the postgres user must reach its data directory
  const [postgres, temporal, stripe] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), database: 'seatbill_test' }),
    startTemporalDevServer({ dataDir: dir, persistent: false, searchAttributes: searchAttributeArgs() }),
    startStripeMock(dir),
  ]);
  process.env.SEATBILL_IT_DIR = dir;
  process.env.SEATBILL_IT_DATABASE_URL = postgres.url;
  process.env.SEATBILL_IT_TEMPORAL_ADDRESS = temporal.address;
  process.env.SEATBILL_IT_STRIPE_MOCK = `${stripe.host}:${stripe.port}`;
  writeFileSync(join(dir, 'servers.txt'), [postgres.version, temporal.version, stripe.version].join('\n'));
  (globalThis as Record<string, unknown>).__seatbillServers = [postgres, temporal, stripe];
}
