import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dockerComposeCommand } from '../../src/infra/docker-compose';

// The split roles in docker-compose.yml: the worker, which has no API, serves its own /metrics on METRICS_PORT.
test('the worker serves /metrics on METRICS_PORT, published on no fixed host port (so it scales) and health-checked', async () => {
  const compose = await dockerComposeCommand();
  const { stdout } = await promisify(execFile)(compose.command, [...compose.args, '-f', 'docker-compose.yml', 'config', '--format', 'json'], {
    cwd: join(__dirname, '../..'),
    env: { ...compose.env, BILLING_SERVICE_TOKEN: 'a-service-token-of-24-chars' },
  });
  const worker = (JSON.parse(stdout) as { services: Record<string, { environment?: Record<string, string>; ports?: { target: number; published?: string }[]; healthcheck?: { test: string[] } }> }).services.worker!;
  expect(worker.environment?.METRICS_PORT).toBe('9464');
  expect(worker.ports?.map((port) => port.target)).toEqual([9464]);
  // `docker compose up --scale worker=N`: a fixed host port would be taken by the first replica and refuse the rest.
  expect(worker.ports?.map((port) => port.published ?? '')).toEqual(['']);
  expect(worker.healthcheck?.test.join(' ')).toContain('127.0.0.1:9464/health');
}, 600_000);
