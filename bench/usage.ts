// Prepaid API credits on a real Postgres (embedded, in a temp dir): metered usage events per second, each a
// transaction with the conditional balance UPDATE and the unique key row.
//   - on one account: every event contends for the same balance row
//   - across 100 accounts: events spread, limited by the pool (10 connections) and the two cores
// Run: npm run bench -- usage
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { apiCredits, type ApiCredits } from '../src/credits';
import { createDb, migrateToLatest } from '../src/ledger/db';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres';
import { createSandboxProvider } from '../src/payments';

const EVENTS = 5_000;
const IN_FLIGHT = 32;

/** Sends `count` events, at most IN_FLIGHT at a time; returns events per second. */
async function measure(credits: ApiCredits, label: string, accountOf: (i: number) => string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    for (let i = next++; i < count; i = next++) {
      await credits.consume({ accountId: accountOf(i), idempotencyKey: `${label}-${i}`, amount: 1 });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
  return (count / (performance.now() - started)) * 1000;
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'seatbill-bench-usage-'));
  chmodSync(parent, 0o755); // the embedded Postgres runs as the `postgres` user when we are root
  const postgres = await startEmbeddedPostgres({ dataDir: join(parent, 'postgres') });
  const db = createDb(postgres.url);
  try {
    await migrateToLatest(db);
    const credits = apiCredits({ db, payments: createSandboxProvider({ db }) });
    const accounts = Array.from({ length: 100 }, (_, i) => `bench-${i}`);
    for (const accountId of ['bench-one', ...accounts]) {
      await credits.purchase({ accountId, purchaseId: 'bench-refill', amount: 1_000_000, paymentMethodId: 'pm_card_visa' });
    }
    await measure(credits, 'warm-up', () => 'bench-one', 500);
    const one = await measure(credits, 'one', () => 'bench-one', EVENTS);
    const spread = await measure(credits, 'spread', (i) => accounts[i % accounts.length] as string, EVENTS);
    console.log(`usage benchmark (real Postgres, pool of 10, ${IN_FLIGHT} events in flight, ${rate(EVENTS)} events each)`);
    console.log(`  one account          ${rate(one)} events/s`);
    console.log(`  across 100 accounts  ${rate(spread)} events/s`);
  } finally {
    await db.destroy();
    await postgres.stop();
    rmSync(parent, { recursive: true, force: true });
  }
}
