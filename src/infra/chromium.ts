// Debian's Chromium, for the portal's browser tests (playwright-core drives it; Playwright's own browser download
// does not work on our closed network). Found by $CHROMIUM_PATH → /usr/bin/chromium → PATH; otherwise installed
// with apt-get when running as root (CI runs `npm test` as root on a fresh machine); otherwise a clear failure.
import { isExecutable, onPath, run, versionOf } from './exec';
import { say, timed } from './provision-log';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Launch arguments for a headless run on a machine without internet: without them Chromium spends its time
 * reaching Google's services (sync, component updates, QUIC probes) and stalls. Give each run a new, empty
 * profile too (`--user-data-dir`, or Playwright's `launchPersistentContext(dir)`, which passes it).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** The Chromium to use, without installing anything; undefined when there is none. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`$CHROMIUM_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  if (isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  return onPath('chromium');
}

/** Finds Chromium, or installs Debian's package when root may; throws saying what to do otherwise. */
export async function resolveChromium(): Promise<string> {
  const found = findChromium();
  if (found) {
    say('Chromium', `using ${found} (${versionOf(found, ['--version'])})`);
    return found;
  }
  const root = process.getuid?.() === 0;
  if (!root || !onPath('apt-get')) {
    throw new Error(
      'Chromium not found (the portal browser tests need it): install Debian\'s package (`apt-get install chromium`) or set CHROMIUM_PATH',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await timed('Chromium', 'apt-get update', () => run('apt-get', ['update'], { env }));
  await timed('Chromium', 'apt-get install -y chromium (first run only)', () => run('apt-get', ['install', '-y', 'chromium'], { env }));
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is not there`);
  say('Chromium', `installed ${installed} (${versionOf(installed, ['--version'])})`);
  return installed;
}
