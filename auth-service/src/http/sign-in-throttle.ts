import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { addressBucket } from '@twenny/http-kit';
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
  /**
   * Counts this attempt as a failure before it is made (so attempts sent at once
   * cannot all slip in before the first failure is recorded). Seconds to wait
   * when it must be refused; undefined when it may proceed.
   */
  begin(email: string, address: string): Promise<number | undefined>;
  /** The outcome of an attempt `begin` let through: anything but a wrong password gives the count back. */
  end(email: string, address: string, outcome: 'wrong-password' | 'succeeded' | 'other'): Promise<void>;
}

/**
 * Counts failed sign-ins, not attempts (a person who signs in often is never
 * slowed): per account + client address, reset by a success, so one client
 * cannot guess a password; and per client address alone, with a wider allowance,
 * so one client cannot sweep many accounts. An IPv6 client counts by its /64,
 * which it could otherwise rotate through. Counters live in Redis, shared by
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
  const accountKey = (email: string, address: string) => `${email.trim().toLowerCase()}|${addressBucket(address)}`;
  const addressKey = (address: string) => addressBucket(address);

  return {
    async begin(email, address) {
      const account = accountKey(email, address);
      try {
        await perAccount.consume(account);
      } catch (outcome) {
        return secondsToWait(outcome);
      }
      try {
        await perAddress.consume(addressKey(address));
        return undefined;
      } catch (outcome) {
        // Refused for the address: no attempt is made on the account.
        await perAccount.reward(account).catch(() => undefined);
        return secondsToWait(outcome);
      }
    },
    async end(email, address, outcome) {
      try {
        if (outcome === 'wrong-password') return;
        await perAddress.reward(addressKey(address));
        if (outcome === 'succeeded') await perAccount.delete(accountKey(email, address));
        else await perAccount.reward(accountKey(email, address));
      } catch (error) {
        options.logger.warn({ err: error }, 'sign-in failure count not settled');
      }
    },
  };
}

/** How long a refused attempt waits; anything but a refusal is rethrown. */
function secondsToWait(outcome: unknown): number {
  if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
  throw outcome;
}
