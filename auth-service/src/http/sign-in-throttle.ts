import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Logger } from '@twenny/logger';

export interface SignInThrottleOptions {
  redis: Redis;
  prefix: string;
  /** Wrong passwords in a row, per account and client address, before sign-in is refused. */
  maxFailures: number;
  windowSeconds: number;
  logger: Logger;
}

export interface SignInThrottle {
  /** Seconds to wait when this attempt must be refused; undefined when it may proceed. */
  retryAfter(email: string, address: string): Promise<number | undefined>;
  /** Called with the outcome of an attempt that was let through. */
  record(email: string, address: string, outcome: 'failed' | 'succeeded'): Promise<void>;
}

/**
 * Counts failed sign-ins, not attempts (a person who signs in often is never
 * slowed): per account + client address, reset by a success, so one client
 * cannot guess a password; and per client address alone, with a wider allowance,
 * so one client cannot sweep many accounts. Counters live in Redis, shared by
 * every replica; if Redis is unreachable each replica counts in memory.
 */
export function createSignInThrottle(options: SignInThrottleOptions): SignInThrottle {
  const limiter = (name: string, points: number): RateLimiterAbstract =>
    new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix}:auth:sign-in-failures:${name}`,
      points,
      duration: options.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: options.windowSeconds }),
    });
  const perAccount = limiter('account', options.maxFailures);
  const perAddress = limiter('address', options.maxFailures * 5);
  const accountKey = (email: string, address: string) => `${email.trim().toLowerCase()}|${address}`;

  return {
    async retryAfter(email, address) {
      const [account, client] = await Promise.all([perAccount.get(accountKey(email, address)), perAddress.get(address)]);
      const blocked = [[account, options.maxFailures], [client, options.maxFailures * 5]] as const;
      let wait: number | undefined;
      for (const [state, points] of blocked) {
        if (state && state.consumedPoints >= points) wait = Math.max(wait ?? 0, Math.ceil(state.msBeforeNext / 1000));
      }
      return wait;
    },
    async record(email, address, outcome) {
      try {
        if (outcome === 'succeeded') {
          await perAccount.delete(accountKey(email, address));
          return;
        }
        await Promise.all([perAccount.penalty(accountKey(email, address)), perAddress.penalty(address)]);
      } catch (error) {
        options.logger.warn({ err: error }, 'sign-in failure count not recorded');
      }
    },
  };
}
