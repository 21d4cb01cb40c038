import { TestWorkflowEnvironment } from '@temporalio/testing';
import { installQuietRuntime } from './quiet-runtime';
import { resolveTestServer } from './test-server-binary';
import { say } from './provision-log';

/**
 * A time-skipping Temporal environment on the Java test server the project provisioned (see
 * src/infra/test-server-binary.ts); the SDK's own download only where Java and Maven are missing.
 * Time skipping is global to one environment: tests of one environment run serially.
 * The only place that chooses the server, so moving to the real server's time skipping is a one-file change.
 */
/**
 * Attempts at starting the server: the SDK gives the Java server a fixed 5 s to answer, which a busy machine (two
 * simulations starting beside a loaded worker) can miss; the SDK kills the late one, and the next try usually wins.
 */
const START_ATTEMPTS = 3;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime(); // in a process that already runs a worker (the API's simulations), its runtime serves
  const server = await resolveTestServer();
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    try {
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: server ? { type: 'existing-path', path: server.path } : { type: 'cached-download' } },
      });
      say('Temporal test server', `started ${server?.version ?? 'the SDK download'} in ${Date.now() - started} ms${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      return env;
    } catch (error) {
      const message = (error as Error).message;
      if (attempt < START_ATTEMPTS && /did not start within/.test(message)) {
        say('Temporal test server', `not answering after ${Date.now() - started} ms (attempt ${attempt} of ${START_ATTEMPTS}); starting another`);
        continue;
      }
      throw new Error(`the Temporal time-skipping test server did not start (${server?.path ?? 'SDK download'}): ${message}`, { cause: error });
    }
  }
}
