import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The POST request an Idempotency-Key stands for, while its handler runs. A workflow update sent for it takes its
 * update ID from it, so a retry that takes over a lapsed key (the first process died) re-attaches to the update the
 * first attempt sent, and the server answers its outcome instead of applying it a second time.
 */
const current = new AsyncLocalStorage<string>();

export function runAsIdempotentRequest<T>(requestId: string, run: () => T): T {
  return current.run(requestId, run);
}

/** The running idempotent request's identity: the same on a retry that took its key over. */
export function idempotentRequestId(): string | undefined {
  return current.getStore();
}

/** `addMembers:<request>`; none outside an idempotent request (the server then picks a fresh one). */
export function updateIdFor(update: { name: string }): string | undefined {
  const requestId = current.getStore();
  return requestId === undefined ? undefined : `${update.name}:${requestId}`;
}
