// The last global teardown (jest.config.js, root level: it runs after every project's own). `npm test` runs in band,
// so every test file shares this process: a server, socket or child process one of them left open keeps Node alive
// after the run. Jest is told to exit regardless (forceExit), and this names what was left, so the leak is seen in
// the log and fixed where it was opened, rather than ending a CI run at its time limit.

type Handle = { constructor?: { name?: string }; hasRef?: () => boolean; [key: string]: unknown };

/** What a handle is, in a line: child processes by command and pid, sockets and servers by address. */
function describe(handle: Handle): string {
  const kind = handle.constructor?.name ?? 'unknown';
  if (kind === 'ChildProcess') return `child process ${String(handle.pid)}: ${(handle.spawnargs as string[] | undefined)?.join(' ') ?? ''}`;
  const address = (handle as { address?: () => unknown }).address;
  const where = typeof address === 'function' ? safe(() => JSON.stringify(address.call(handle))) : '';
  const remote = handle.remoteAddress ? ` to ${String(handle.remoteAddress)}:${String(handle.remotePort)}` : '';
  return `${kind}${where ? ` ${where}` : ''}${remote}`;
}

function safe(read: () => string | undefined): string {
  try {
    return read() ?? '';
  } catch {
    return '';
  }
}

export default async function reportOpenHandles(): Promise<void> {
  // A server stopped just now closes its pipes. The timer keeps the process alive (not unref'd): when nothing else
  // is open, an unref'd one let Node end the run here, before Jest set its exit code, so a failed run exited 0.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const getHandles = (process as unknown as { _getActiveHandles(): Handle[] })._getActiveHandles;
  const standardStreams = new Set<unknown>([process.stdin, process.stdout, process.stderr]);
  const open = getHandles
    .call(process)
    .filter((handle) => !standardStreams.has(handle) && (typeof handle.hasRef !== 'function' || handle.hasRef()))
    .map(describe);
  // Everything else the event loop waits on (timers, pending requests, native work), by kind.
  const resources = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
  if (open.length === 0 && resources.length === 0) return;
  process.stderr.write(`\n[teardown] still open after every test file (a test left them; Jest exits anyway):\n  ${open.join('\n  ')}\n` +
    `  resources the event loop waits on: ${resources.join(', ') || 'none'}\n`);
}
