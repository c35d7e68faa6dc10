/**
 * `promise`, or a rejection once `ms` have passed, whichever comes first. For
 * calls that may never settle (BullMQ's `add` waits for a Redis connection that
 * was never up, however long): the request carries on, and whatever the call
 * does later is its own business (its rejection is caught here).
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
