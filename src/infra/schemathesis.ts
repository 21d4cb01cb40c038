// schemathesis (from PyPI), the outside fuzzer the API test runs against /openapi.json. Found by $SCHEMATHESIS_PATH,
// else installed once into a virtual environment in the shared cache with Python 3's own venv and pip (the
// version is pinned, so every run fuzzes with the same generator); otherwise a clear failure naming what is missing.
import { join } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, onPath, run, versionOf } from './exec';
import { say, timed } from './provision-log';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** Where the cached install's command lives (it may not be there yet). */
function cachedSchemathesis(): string {
  return join(cacheDir(`schemathesis-${SCHEMATHESIS_VERSION}`), 'bin', 'schemathesis');
}

/** The schemathesis command, without installing anything; undefined when there is none. */
export function findSchemathesis(): string | undefined {
  const fromEnv = process.env.SCHEMATHESIS_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`$SCHEMATHESIS_PATH=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = cachedSchemathesis();
  return isExecutable(cached) ? cached : undefined;
}

/** Finds schemathesis, or installs the pinned version from PyPI into the cache; throws saying what to do. */
export async function resolveSchemathesis(): Promise<string> {
  const found = findSchemathesis();
  if (found) {
    say('schemathesis', `using ${found} (${versionOf(found, ['--version'])})`);
    return found;
  }
  const python = onPath('python3');
  if (!python) throw new Error('python3 not found (the API fuzz test installs schemathesis from PyPI with it): install Python 3, or set SCHEMATHESIS_PATH');
  const venv = cacheDir(`schemathesis-${SCHEMATHESIS_VERSION}`);
  await timed('schemathesis', `python3 -m venv ${venv}`, () => run(python, ['-m', 'venv', venv]).catch((error: Error) => {
    throw new Error(`${error.message} (on Debian: apt-get install python3-venv)`);
  }));
  await timed('schemathesis', `pip install schemathesis==${SCHEMATHESIS_VERSION} (first run only)`, () =>
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]));
  const installed = cachedSchemathesis();
  if (!isExecutable(installed)) throw new Error(`pip installed schemathesis, but ${installed} is not there`);
  say('schemathesis', `installed ${installed} (${versionOf(installed, ['--version'])})`);
  return installed;
}
