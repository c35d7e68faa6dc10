import { z } from 'zod';
import { env } from './env-fields.ts';
import { identityEnv } from './identity-env.ts';

/**
 * Variables every back-end service reads. A service extends this with its own;
 * the defaults make a local run work with no configuration at all.
 */
export function serviceEnv(options: { port: number; databaseRole: string }) {
  return z.object({
    NODE_ENV: env.nodeEnv(),
    LOG_LEVEL: env.logLevel(),
    PORT: env.port(options.port),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: env.url(
      ['postgres:', 'postgresql:'],
      `postgres://${options.databaseRole}:${options.databaseRole}@127.0.0.1:5432/twenny`,
    ),
    /** At least 2: migrations hold one connection for their lock while another applies them. */
    DATABASE_POOL_MAX: env.int(5, { min: 2, max: 50 }),
    /** Named prepared statements; turn off behind a pooler that cannot keep them (PgBouncer in transaction mode). */
    DATABASE_PREPARE: env.bool(true),
    AMQP_URL: env.url(['amqp:', 'amqps:'], 'amqp://guest:guest@127.0.0.1:5672'),
    /** Prefix for the exchange and queue names: lets tests and stacks share one broker. */
    AMQP_PREFIX: env.prefix(''),
    /** Messages in hand at once; each holds a pool connection while it is applied, so keep it below the pool size. */
    AMQP_PREFETCH: env.int(4, { min: 1, max: 1000 }),
    SHUTDOWN_TIMEOUT_MS: env.int(15_000, { min: 100, max: 120_000 }),
    /** Behind a load balancer, how long to answer "not ready" before refusing connections. */
    SHUTDOWN_DRAIN_DELAY_MS: env.int(0, { min: 0, max: 60_000 }),
    /** Outbox and inbox rows older than this are deleted. */
    MESSAGE_RETENTION_HOURS: env.int(72, { min: 1, max: 24 * 365 }),
    /** Dead letters older than this are dropped (each logged): long enough for someone to look. */
    DEAD_LETTER_RETENTION_HOURS: env.int(14 * 24, { min: 1, max: 24 * 365 }),
    ...identityEnv,
  });
}

export type ServiceEnv = z.output<ReturnType<typeof serviceEnv>>;
