import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dockerComposeCommand } from '../../src/infra/docker-compose';

// No Docker engine runs here, so docker-compose.yml is checked the way `docker compose up` would first read it.
const root = join(__dirname, '../..');
const env = { BILLING_SERVICE_TOKEN: 'a-service-token-of-24-chars' };

async function composeConfig(file: string, extraEnv: NodeJS.ProcessEnv = env): Promise<string> {
  const compose = await dockerComposeCommand();
  const { stdout } = await promisify(execFile)(compose.command, [...compose.args, '-f', file, 'config', '--format', 'json'], {
    cwd: root,
    env: { ...compose.env, ...extraEnv },
  });
  return stdout;
}

test('docker compose config accepts docker-compose.yml with the full stack, health checks and volumes', async () => {
  const config = JSON.parse(await composeConfig(join(root, 'docker-compose.yml'))) as {
    services: Record<string, { healthcheck?: unknown; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string> }>;
    volumes: Record<string, unknown>;
  };
  expect(Object.keys(config.services).sort()).toEqual(['api', 'postgres', 'temporal', 'temporal-ui', 'worker']);
  for (const name of ['api', 'postgres', 'temporal']) expect(config.services[name]?.healthcheck).toBeDefined();
  expect(config.services.api?.depends_on?.temporal?.condition).toBe('service_healthy');
  expect(config.services.worker?.environment?.SEATBILL_ROLE).toBe('worker');
  expect(config.services.api?.environment?.SEATBILL_ROLE).toBe('api');
  expect(Object.keys(config.volumes)).toContain('postgres-data');
}, 600_000);

test('docker compose config rejects a broken file, so the check above can fail', async () => {
  const broken = join(tmpdir(), `compose-broken-${process.pid}.yml`);
  writeFileSync(broken, readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace('depends_on:\n    postgres:', 'depends_on:\n    nosuchservice:'));
  await expect(composeConfig(broken)).rejects.toThrow(/nosuchservice|undefined service/);
  await expect(composeConfig(join(root, 'docker-compose.yml'), { BILLING_SERVICE_TOKEN: '' })).rejects.toThrow(/BILLING_SERVICE_TOKEN/);
}, 600_000);
