import type { Redis } from 'ioredis';

/**
 * Better-Auth's secondary storage on Redis: a session cache (sessions are also
 * kept in Postgres, so losing Redis signs nobody out) and the rate-limit counters.
 */
export function redisSecondaryStorage(redis: Redis, prefix: string) {
  const key = (name: string) => `${prefix}:auth:${name}`;
  return {
    get: (name: string) => redis.get(key(name)),
    getAndDelete: (name: string) => redis.getdel(key(name)),
    async set(name: string, value: string, ttl?: number) {
      if (ttl && ttl > 0) await redis.set(key(name), value, 'EX', Math.ceil(ttl));
      else await redis.set(key(name), value);
    },
    async delete(name: string) {
      await redis.del(key(name));
    },
    async increment(name: string, ttl: number) {
      // The TTL is set only when the counter is created: a fixed window.
      const [[, count]] = (await redis.multi().incr(key(name)).expire(key(name), Math.max(1, Math.ceil(ttl)), 'NX').exec()) as [[null, number], unknown];
      return count;
    },
  };
}
