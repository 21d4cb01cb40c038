import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { say } from './provision-log';

export interface ManagedProcess {
  child: ChildProcess;
  /** Resolves once it has exited, however it ended. */
  exited: Promise<void>;
  /** Stops it with `signal` (SIGTERM unless the server wants another), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ProcessOptions {
  /** Appended with the process's stdout and stderr. */
  logFile: string;
  /** The signal that asks it to stop quickly and cleanly: SIGINT for Postgres ("fast" shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (root may not run Postgres). */
  user?: { uid: number; gid: number };
}

const running = new Set<ChildProcess>();
// A last resort so that no server outlives the process that started it, whatever way that process ends.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns a long-running server; the caller owns its lifecycle. */
export function startProcess(name: string, command: string, args: string[], options: ProcessOptions): ManagedProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options.user });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (code) say(name, `exited with code ${code}; see ${options.logFile}`);
      else if (signal && signal !== (options.stopSignal ?? 'SIGTERM')) say(name, `ended by ${signal}`);
      resolve();
    }),
  );
  return {
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
