import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where provisioned binaries live: outside git, shared by every checkout on the machine.
 * SEATBILL_CACHE_DIR → $XDG_CACHE_HOME/seatbill → ~/.cache/seatbill.
 */
export function cacheDir(...parts: string[]): string {
  const root = process.env.SEATBILL_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'seatbill');
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
