import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, infrastructure, TcpProxy, uniquePrefix, waitFor } from '@twenny/testing';
import { createBatchedCounters } from '../src/rate-limit/batched-counters.ts';

let redisUrl: string;
const prefix = uniquePrefix();
const clients: Redis[] = [];

function client(url = redisUrl) {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  clients.push(redis);
  return redis;
}

/** A replica's counters; `errors` records what each sync reported. */
function replica(redis: Redis, windowMs = 60_000) {
  const errors: Array<Error | undefined> = [];
  // A sync interval longer than any test: each test flushes when it means to.
  return { counters: createBatchedCounters({ redis, windowMs, syncEveryMs: 60_000, maxKeys: 100, onSync: (error) => errors.push(error) }), errors };
}

beforeAll(async () => {
  ({ redisUrl } = await infrastructure());
});

afterAll(async () => {
  for (const redis of clients) redis.disconnect();
  await deleteRedisKeys(redisUrl, prefix);
});

/**
 * A stand-in for the Redis client's pipeline (pure logic: what is sent when), whose
 * next exec fails with `failWith`, as a timed-out or refused pipeline does.
 */
function fakeRedis() {
  const sent: Array<[string, number]> = [];
  let failWith: Error | undefined;
  const redis = {
    pipeline() {
      const batch: Array<[string, number]> = [];
      const pipeline = {
        incrby: (key: string, amount: number) => (batch.push([key, amount]), pipeline),
        pexpire: () => pipeline,
        pttl: () => pipeline,
        async exec() {
          sent.push(...batch);
          const error = failWith;
          failWith = undefined;
          if (error) throw error;
          return batch.flatMap(([key]) => [[null, sent.filter(([k]) => k === key).reduce((sum, [, n]) => sum + n, 0)], [null, 1], [null, 30_000]]);
        },
      };
      return pipeline;
    },
  };
  return { redis: redis as unknown as Redis, sent, failNext: (error: Error) => void (failWith = error) };
}

describe('batched rate-limit counters', () => {
  it('never send a batch twice once it may have reached Redis (a timeout), and resend one that never left', async () => {
    const fake = fakeRedis();
    const { counters } = replica(fake.redis);
    counters.consume('k', 100);
    counters.consume('k', 100);
    fake.failNext(new Error('Command timed out'));
    await counters.flush();
    counters.consume('k', 100);
    await counters.flush();
    // The timed-out 2 may have been applied: only the new 1 is sent after it.
    expect(fake.sent).toEqual([['k', 2], ['k', 1]]);

    counters.consume('k', 100);
    fake.failNext(new Error("Stream isn't writeable and enableOfflineQueue options is false"));
    await counters.flush();
    await counters.flush();
    expect(fake.sent).toEqual([['k', 2], ['k', 1], ['k', 1], ['k', 1]]);
  });

  it('are exact within one replica, and share the count with the others at each sync', async () => {
    const redis = client();
    await waitFor('Redis', () => redis.status === 'ready');
    const key = `${prefix}:shared`;
    const a = replica(redis);
    const b = replica(redis);
    for (let i = 1; i <= 3; i++) expect(a.counters.consume(key, 4)).toMatchObject({ allowed: true, count: i });
    await a.counters.flush();
    // b has not synced yet: it counts alone.
    expect(b.counters.consume(key, 4)).toMatchObject({ allowed: true, count: 1 });
    await b.counters.flush();
    expect(b.counters.consume(key, 4)).toMatchObject({ allowed: false, count: 4 });
    expect(Number(await redis.get(key))).toBe(4);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('start a new window when the old one ends', async () => {
    const redis = client();
    await waitFor('Redis', () => redis.status === 'ready');
    const { counters } = replica(redis, 300);
    const key = `${prefix}:window`;
    expect(counters.consume(key, 1).allowed).toBe(true);
    const refused = counters.consume(key, 1);
    expect(refused.allowed).toBe(false);
    expect(refused.msBeforeReset).toBeGreaterThan(0);
    expect(refused.msBeforeReset).toBeLessThanOrEqual(300);
    await waitFor('the window to end', () => counters.consume(key, 1).allowed, { timeoutMs: 2_000 });
  });

  it('keep counting while Redis is away, and add what they counted once it is back', async () => {
    const proxy = TcpProxy.forUrl(redisUrl, 6379);
    await proxy.start();
    try {
      const redis = client(proxy.url(redisUrl));
      await waitFor('Redis', () => redis.status === 'ready');
      const { counters, errors } = replica(redis);
      const key = `${prefix}:outage`;
      proxy.cut();
      await waitFor('the client to notice', () => redis.status !== 'ready');
      expect(counters.consume(key, 10).allowed).toBe(true);
      expect(counters.consume(key, 10).allowed).toBe(true);
      await counters.flush();
      expect(errors.at(-1)).toBeInstanceOf(Error);

      proxy.restore();
      await waitFor('Redis to reconnect', () => redis.status === 'ready', { timeoutMs: 5_000 });
      await counters.flush();
      expect(errors.at(-1)).toBeUndefined();
      const direct = client();
      await waitFor('Redis', () => direct.status === 'ready');
      expect(Number(await direct.get(key))).toBe(2);
    } finally {
      await proxy.stop();
    }
  });
});
