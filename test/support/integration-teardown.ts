import { rmSync } from 'node:fs';

export default async function teardown(): Promise<void> {
  const servers = ((globalThis as Record<string, unknown>).__seatbillServers ?? []) as { stop(): Promise<void> }[];
  await Promise.all(servers.map((server) => server.stop()));
  if (process.env.SEATBILL_IT_DIR) rmSync(process.env.SEATBILL_IT_DIR, { recursive: true, force: true });
}
