import { join } from 'node:path';
import { startProcess } from './child-process';
import { resolveGoTool, temporalCli } from './go-tool';
import { freePort, waitForPort } from './ports';
import { say } from './provision-log';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  version: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** Where logs (and, with `persistent`, the SQLite database) go. */
  dataDir: string;
  port?: number;
  /** 0 or undefined: headless. */
  uiPort?: number;
  persistent: boolean;
  /** `Name=Type` pairs registered at start, e.g. `TeamId=Keyword`. */
  searchAttributes: string[];
}

/**
 * The Temporal CLI dev server: a real Temporal server (SQLite) with its Web UI. With `persistent`, its database
 * lives in the data directory, so a restart resumes every workflow.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  const cli = await resolveGoTool(temporalCli);
  if (!cli) return startSdkDownloadedDevServer(options);
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default'];
  args.push('--log-format', 'json', '--log-level', 'warn');
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.persistent) args.push('--db-filename', join(options.dataDir, 'temporal.sqlite'));
  for (const attribute of options.searchAttributes) args.push('--search-attribute', attribute);
  // The metrics port defaults to a fixed number; a free one lets several dev servers run side by side.
  args.push('--metrics-port', String(await freePort()));
  const logFile = join(options.dataDir, 'temporal-dev-server.log');
  const server = startProcess('Temporal dev server', cli.path, args, { logFile });
  try {
    await Promise.race([
      waitForPort(port, 60_000),
      new Promise((_, reject) => server.child.once('exit', () => reject(new Error(`it exited; see ${logFile}`)))),
    ]);
  } catch (error) {
    await server.stop();
    throw new Error(`the Temporal dev server did not start on 127.0.0.1:${port}: ${(error as Error).message}`, { cause: error });
  }
  const uiUrl = options.uiPort ? `http://localhost:${options.uiPort}` : undefined;
  say('Temporal dev server', `started ${cli.version} on 127.0.0.1:${port}${uiUrl ? `, Web UI ${uiUrl}` : ''}`);
  return { address: `127.0.0.1:${port}`, uiUrl, version: cli.version, stop: () => server.stop() };
}

/**
 * Without Go (an ordinary laptop), the SDK downloads the same CLI and starts it. That needs the internet; where
 * there is none, the error says what to install instead.
 */
async function startSdkDownloadedDevServer(options: DevServerOptions): Promise<RunningTemporal> {
  say('Temporal dev server', 'no Temporal CLI and no Go to build it: falling back to the SDK download');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        ...(options.port ? { port: options.port } : {}),
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}),
        ...(options.persistent ? { dbFilename: join(options.dataDir, 'temporal.sqlite') } : {}),
        extraArgs: options.searchAttributes.flatMap((attribute) => ['--search-attribute', attribute]),
      },
    });
    const address = env.connection.options.address;
    return { address, uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined, version: 'SDK download', stop: () => env.teardown() };
  } catch (error) {
    throw new Error(
      'the Temporal dev server could not be started: install Go (the CLI is built with `go install`), put `temporal` on PATH, ' +
        `set TEMPORAL_CLI_PATH, or point TEMPORAL_ADDRESS at a running Temporal server (${(error as Error).message})`,
      { cause: error },
    );
  }
}
