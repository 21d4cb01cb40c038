/** Provisioning speaks on stderr, so `npm run simulate` keeps stdout for its report. */
export function say(component: string, message: string): void {
  process.stderr.write(`[provision] ${component}: ${message}\n`);
}

/** Runs `work`, then reports how long it took. */
export async function timed<T>(component: string, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  say(component, `${what} …`);
  try {
    const result = await work();
    say(component, `${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    say(component, `${what}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${(error as Error).message}`);
    throw error;
  }
}
