import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache';
import { onPath } from './exec';
import { dockerCompose, resolveGoTool } from './go-tool';

/**
 * How to run `docker compose`: through the docker client, with the provisioned Compose as its plugin in a config
 * directory of our own (the user's ~/.docker is left alone); or the plugin binary itself where there is no client.
 */
export async function dockerComposeCommand(): Promise<{ command: string; args: string[]; env: NodeJS.ProcessEnv }> {
  const compose = await resolveGoTool(dockerCompose);
  if (!compose) throw new Error('docker compose is needed to check docker-compose.yml: install Go, or set DOCKER_COMPOSE_PATH');
  const docker = onPath('docker');
  if (!docker) return { command: compose.path, args: [], env: process.env };
  const config = cacheDir('docker-config');
  const plugins = join(config, 'cli-plugins');
  mkdirSync(plugins, { recursive: true });
  rmSync(join(plugins, 'docker-compose'), { force: true });
  symlinkSync(compose.path, join(plugins, 'docker-compose'));
  return { command: docker, args: ['compose'], env: { ...process.env, DOCKER_CONFIG: config } };
}
