import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { isExecutable, onPath, run, versionOf } from './exec';
import { say, timed } from './provision-log';

export interface Provisioned {
  path: string;
  version: string;
  /** How it was found: the environment variable, PATH, the project cache, or a fresh build. */
  source: 'env' | 'path' | 'cache' | 'built';
}

export interface GoTool {
  component: string;
  envVar: string;
  binary: string;
  /** `go install` target, pinned: later tags of the Temporal CLI carry `replace` directives `go install` refuses. */
  module: string;
  versionArgs: string[];
  /** The name `go install` gives the binary (the package's last path element), when it is not `binary`. */
  builtName?: string;
}

/** environment variable → PATH → project cache → `go install` into the cache. Undefined when none works. */
export async function resolveGoTool(tool: GoTool): Promise<Provisioned | undefined> {
  const found = findGoTool(tool);
  if (found) {
    say(tool.component, `using ${found.path} (${found.source}; ${found.version})`);
    return found;
  }
  if (!onPath('go')) {
    say(tool.component, `not in $${tool.envVar}, on PATH or in the cache, and Go is not installed to build it`);
    return undefined;
  }
  const cached = cachedPath(tool);
  await timed(tool.component, `building ${tool.module} with go install (first run only)`, async () => {
    // Build into a scratch GOBIN and rename, so a concurrent run never sees half a binary.
    const scratch = mkdtempSync(join(cacheDir('bin'), '.build-'));
    try {
      await run('go', ['install', tool.module], { env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' } });
      renameSync(join(scratch, tool.builtName ?? tool.binary), cached);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
  const built: Provisioned = { path: cached, version: describeVersion(tool, cached, true), source: 'built' };
  say(tool.component, `built ${built.path} (${built.version})`);
  return built;
}

/** What the binary says of its version, and the pin it was built from (`go install` builds say "master" or "0.0.0-DEV"). */
function describeVersion(tool: GoTool, path: string, built: boolean): string {
  const said = versionOf(path, tool.versionArgs);
  return built ? `${said}; built from ${tool.module}` : said;
}

function cachedPath(tool: GoTool): string {
  const version = tool.module.split('@')[1] ?? 'latest';
  return join(cacheDir('bin'), `${tool.binary}-${version}`);
}

function findGoTool(tool: GoTool): Provisioned | undefined {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`$${tool.envVar}=${fromEnv} is not an executable file`);
    return { path: fromEnv, version: describeVersion(tool, fromEnv, false), source: 'env' };
  }
  const fromPath = onPath(tool.binary);
  if (fromPath) return { path: fromPath, version: describeVersion(tool, fromPath, false), source: 'path' };
  const cached = cachedPath(tool);
  if (existsSync(cached) && isExecutable(cached)) {
    return { path: cached, version: describeVersion(tool, cached, true), source: 'cache' };
  }
  return undefined;
}

export const temporalCli: GoTool = {
  component: 'Temporal CLI',
  envVar: 'TEMPORAL_CLI_PATH',
  binary: 'temporal',
  module: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  versionArgs: ['--version'],
};

export const stripeMock: GoTool = {
  component: 'stripe-mock',
  envVar: 'STRIPE_MOCK_PATH',
  binary: 'stripe-mock',
  module: 'github.com/stripe/stripe-mock@v0.197.0',
  versionArgs: ['-version'],
};

/** Docker Compose v2, only to validate docker-compose.yml: no Docker engine runs on the project's machines. */
export const dockerCompose: GoTool = {
  component: 'docker compose',
  envVar: 'DOCKER_COMPOSE_PATH',
  binary: 'docker-compose',
  module: 'github.com/docker/compose/v2/cmd@v2.29.7',
  versionArgs: ['version'],
  builtName: 'cmd',
};
