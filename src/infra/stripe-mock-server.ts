import { join } from 'node:path';
import { startProcess } from './child-process';
import { resolveGoTool, stripeMock } from './go-tool';
import { freePort, waitForPort } from './ports';
import { say } from './provision-log';

export interface RunningStripeMock {
  host: string;
  port: number;
  version: string;
  stop(): Promise<void>;
}

/** stripe-mock: Stripe's own mock of its API, built from its OpenAPI spec, serving plain HTTP on loopback. */
export async function startStripeMock(logDir: string): Promise<RunningStripeMock> {
  const binary = await resolveGoTool(stripeMock);
  if (!binary) throw new Error('stripe-mock is needed for the Stripe adapter tests: install Go or set STRIPE_MOCK_PATH');
  const port = await freePort();
  const logFile = join(logDir, 'stripe-mock.log');
  // Both listeners on free loopback ports: left alone, HTTPS takes the fixed port 12112 on every interface, and two
  // runs on one machine collide.
  const args = ['-http-addr', `127.0.0.1:${port}`, '-https-addr', `127.0.0.1:${await freePort()}`];
  const server = startProcess('stripe-mock', binary.path, args, { logFile });
  try {
    await waitForPort(port, 30_000);
  } catch (error) {
    await server.stop();
    throw new Error(`stripe-mock did not start: ${(error as Error).message}; see ${logFile}`, { cause: error });
  }
  say('stripe-mock', `started ${binary.version} on 127.0.0.1:${port}`);
  return { host: '127.0.0.1', port, version: binary.version, stop: () => server.stop() };
}
