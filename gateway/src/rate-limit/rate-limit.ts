import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '@twenny/logger';
import { rateClasses, type RateClass } from '../routes/route-table.ts';
import { createBatchedCounters, type BatchedCounters } from './batched-counters.ts';

export type RateScope = 'address' | 'user';

export interface RateLimits {
  windowSeconds: number;
  /**
   * Requests per window, per client address and (when signed in) per user; no
   * `user` means no per-user bucket. `exact` classes are counted in Redis on every
   * request; the others in batches (batched-counters.ts), which may let a key pass
   * its limit by what other replicas count in one sync interval.
   */
  classes: Record<RateClass, { address: number; user?: number; exact?: boolean }>;
}

// How often batched counts are added in Redis (and other replicas' read back).
const syncEveryMs = 100;
// Keys the batched counters remember at once (clients and users active in a window).
const maxBatchedKeys = 100_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (and, when refused, until the next attempt may pass). */
  resetSeconds: number;
  windowSeconds: number;
}

// Counting is not traced: two Redis spans on every request would be noise in each
// trace, and measurably cost throughput. (No parent span: the ioredis
// instrumentation skips the command outright; suppressed, should that change.)
const untraced = suppressTracing(ROOT_CONTEXT);

export interface RateLimiter {
  /** Counts one request against the bucket; undefined when the class has no bucket for this scope. */
  consume(rateClass: RateClass, scope: RateScope, key: string): Promise<RateDecision | undefined>;
}

type Bucket =
  | { points: number; exact: true; redis: RateLimiterRedis; memory: RateLimiterMemory }
  | { points: number; exact: false; keyPrefix: string };

/**
 * Fixed-window counters shared by every gateway replica through Redis: exact
 * classes with one atomic script per request, the others in batches. When Redis
 * cannot answer, the same limits are kept in this process's memory instead: the
 * gateway fails open to a looser (per-replica) limit, never to an error. The
 * switch is logged both ways.
 */
export function createRateLimiter(options: { redis: Redis; prefix: string; limits: RateLimits; logger: Logger }): RateLimiter & { flush(): Promise<void> } {
  const { redis, prefix, limits, logger } = options;
  const duration = limits.windowSeconds;
  const buckets = new Map<string, Bucket>();
  let degraded = false;
  function redisWorks(error: unknown) {
    if (error === undefined) {
      if (degraded) logger.info('rate limits are counted in Redis again');
      degraded = false;
    } else {
      if (!degraded) logger.warn({ err: error }, 'Redis cannot count rate limits; counting them in memory (per replica) until it is back');
      degraded = true;
    }
  }
  const batched: BatchedCounters = createBatchedCounters({ redis, windowMs: duration * 1000, syncEveryMs, maxKeys: maxBatchedKeys, onSync: redisWorks });

  for (const rateClass of rateClasses) {
    for (const scope of ['address', 'user'] as const) {
      const points = limits.classes[rateClass][scope];
      if (points === undefined) continue;
      const keyPrefix = `${prefix}:gateway:rate:${rateClass}:${scope}`;
      if (!limits.classes[rateClass].exact) {
        buckets.set(`${rateClass}:${scope}`, { points, exact: false, keyPrefix: `${keyPrefix}:` });
        continue;
      }
      buckets.set(`${rateClass}:${scope}`, {
        points,
        exact: true,
        redis: new RateLimiterRedis({
          storeClient: redis,
          keyPrefix,
          points,
          duration,
          // Not ready (reconnecting) → fail at once rather than wait in a queue.
          rejectIfRedisNotReady: true,
          // Once over the limit, refuse from memory until the window ends: a flood costs Redis nothing.
          inMemoryBlockOnConsumed: points + 1,
        }),
        memory: new RateLimiterMemory({ keyPrefix, points, duration }),
      });
    }
  }

  function decision(bucket: Bucket, result: Pick<RateLimiterRes, 'remainingPoints' | 'msBeforeNext'>, allowed: boolean): RateDecision {
    return {
      allowed,
      limit: bucket.points,
      remaining: Math.max(0, result.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      windowSeconds: duration,
    };
  }

  async function consumeIn(limiter: RateLimiterRedis | RateLimiterMemory, bucket: Bucket, key: string): Promise<RateDecision> {
    try {
      return decision(bucket, await limiter.consume(key), true);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return decision(bucket, outcome, false);
      throw outcome;
    }
  }

  return {
    async consume(rateClass, scope, key) {
      const bucket = buckets.get(`${rateClass}:${scope}`);
      if (!bucket) return undefined;
      if (!bucket.exact) {
        const counted = batched.consume(bucket.keyPrefix + key, bucket.points);
        return decision(bucket, { remainingPoints: bucket.points - counted.count, msBeforeNext: counted.msBeforeReset }, counted.allowed);
      }
      try {
        const result = await context.with(untraced, () => consumeIn(bucket.redis, bucket, key));
        redisWorks(undefined);
        return result;
      } catch (error) {
        redisWorks(error);
        return consumeIn(bucket.memory, bucket, key);
      }
    },
    flush: () => batched.flush(),
  };
}

/** The tightest of several decisions: what the response's RateLimit headers describe. */
export function tightest(decisions: Array<RateDecision | undefined>): RateDecision | undefined {
  let result: RateDecision | undefined;
  for (const decision of decisions) {
    if (!decision) continue;
    if (!result || !decision.allowed || (result.allowed && decision.remaining < result.remaining)) result = decision;
  }
  return result;
}

/** RateLimit header fields (IETF draft "RateLimit header fields for HTTP"), as separate headers. */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
    'ratelimit-policy': `${decision.limit};w=${decision.windowSeconds}`,
  };
}
