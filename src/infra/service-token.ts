import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** BILLING_SERVICE_TOKEN, or one generated once and kept (mode 600) in the data directory. */
export function serviceToken(dataDir: string, fromEnv: string | undefined): { token: string; generated: boolean; file?: string } {
  if (fromEnv) return { token: fromEnv, generated: false };
  const file = join(dataDir, 'service-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false, file };
  const token = `sbt_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, file };
}
