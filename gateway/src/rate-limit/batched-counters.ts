import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** What a counter says about one request. */
export interface CountResult {
  allowed: boolean;
  /** Requests counted in the window so far, this one included when allowed. */
  count: number;
  /** Milliseconds until the window ends. */
  msBeforeReset: number;
}

interface Counter {
  /** When the window ends (epoch ms): Redis's expiry once a sync has told us. */
  windowEnd: number;
  /** Requests counted in the window: every replica's as of the last sync, plus this replica's since. */
  count: number;
  /** Counted here, not yet added in Redis. */
  unsynced: number;
}

export interface BatchedCountersOptions {
  redis: Redis;
  windowMs: number;
  /** How often this replica's counts are added in Redis, and the others' read back. */
  syncEveryMs: number;
  /** Keys remembered at once; the least recently used go first. */
  maxKeys: number;
  /** Called with the error when a sync fails, and with undefined when one succeeds. */
  onSync(error: Error | undefined): void;
}

/**
 * Fixed-window counters shared by every gateway replica through Redis, without
 * a Redis call per request: each replica decides from its own count and the
 * total Redis last told it, and every `syncEveryMs` adds what it counted since
 * in one pipeline (INCRBY, PEXPIRE NX, PTTL per key), reading back the total of
 * all replicas and the window's end.
 *
 * Exact within one replica. Across replicas a key may pass its limit by what the
 * other replicas count in one sync interval: right for the broad per-client
 * limits, where a Redis round trip per request cost the gateway a fifth of its
 * CPU (npm run bench:gateway). Strict limits (sign-in, holds) count in Redis on
 * every request instead. When Redis cannot be reached, counting goes on locally
 * and what is unsynced is added once it is back.
 */
export function createBatchedCounters(options: BatchedCountersOptions) {
  const { redis, windowMs, syncEveryMs } = options;
  const counters = new LRUCache<string, Counter>({ max: options.maxKeys });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | undefined;

  function counterFor(key: string, now: number): Counter {
    let counter = counters.get(key);
    if (!counter || counter.windowEnd <= now) {
      counter = { windowEnd: now + windowMs, count: 0, unsynced: 0 };
      counters.set(key, counter);
    }
    return counter;
  }

  async function sync(): Promise<void> {
    const batch: Array<{ key: string; counter: Counter; sent: number }> = [];
    for (const key of pending) {
      const counter = counters.get(key);
      if (counter && counter.unsynced > 0) {
        batch.push({ key, counter, sent: counter.unsynced });
        counter.unsynced = 0;
      }
    }
    pending.clear();
    if (batch.length === 0) return;
    const pipeline = redis.pipeline();
    for (const { key, sent } of batch) pipeline.incrby(key, sent).pexpire(key, windowMs, 'NX').pttl(key);
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await pipeline.exec();
      if (!replies) throw new Error('the Redis pipeline was discarded');
      const failed = replies.find(([error]) => error);
      if (failed) throw failed[0]!;
    } catch (error) {
      // Sent again next time only when it never left (not connected): after a
      // timeout or a reply error Redis may have applied it, and adding it twice
      // would refuse clients that are within their limit. Losing a batch only
      // loosens the limit a little.
      if (neverSent(error)) {
        for (const { key, counter, sent } of batch) {
          if (counters.get(key) !== counter || counter.windowEnd <= Date.now()) continue;
          counter.unsynced += sent;
          pending.add(key);
        }
      }
      options.onSync(error as Error);
      return;
    }
    const now = Date.now();
    batch.forEach(({ key, counter }, index) => {
      if (counters.get(key) !== counter) return;
      const total = Number(replies![index * 3]![1]);
      const ttl = Number(replies![index * 3 + 2]![1]);
      // Redis's key holds the window every replica shares: adopt its end and its total.
      if (ttl > 0) counter.windowEnd = now + ttl;
      counter.count = Math.max(counter.count, total + counter.unsynced);
    });
    options.onSync(undefined);
  }

  // One sync at a time: counts made while one is in flight wait for the next.
  function runSync(): Promise<void> {
    syncing = sync().finally(() => {
      syncing = undefined;
      if (pending.size > 0) schedule();
    });
    return syncing;
  }

  function schedule() {
    if (timer || syncing) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runSync();
    }, syncEveryMs).unref();
  }

  return {
    /** Counts one request against `key` unless the key's limit of `limit` is reached. */
    consume(key: string, limit: number): CountResult {
      const now = Date.now();
      const counter = counterFor(key, now);
      if (counter.count >= limit) return { allowed: false, count: counter.count, msBeforeReset: counter.windowEnd - now };
      counter.count += 1;
      counter.unsynced += 1;
      pending.add(key);
      schedule();
      return { allowed: true, count: counter.count, msBeforeReset: counter.windowEnd - now };
    },
    /** Adds what is unsynced in Redis now (at shutdown; tests). */
    async flush(): Promise<void> {
      while (syncing) await syncing;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await runSync();
    },
  };
}

export type BatchedCounters = ReturnType<typeof createBatchedCounters>;

/**
 * ioredis refuses a command it cannot write at once (enableOfflineQueue is off
 * on the gateway's client): the only failure that proves Redis never saw it.
 */
function neverSent(error: unknown): boolean {
  return /Stream isn't writeable|Connection is closed/.test((error as Error)?.message ?? '');
}
