import { z } from 'zod';
import { env, serviceEnv } from '@twenny/config';

export const configSchema = serviceEnv({ port: 4003, databaseRole: 'twenny_orders' });

/** The BullMQ worker process: its own health port, plus Redis. */
export const workerConfigSchema = configSchema.extend({
  WORKER_PORT: env.port(4013),
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ: lets tests and several stacks share one Redis. */
  REDIS_PREFIX: env.prefix('twenny'),
  WORKER_CONCURRENCY: env.int(20, { min: 1, max: 500 }),
  MAINTENANCE_EVERY_MINUTES: env.int(60, { min: 1, max: 24 * 60 }),
});

export type WorkerConfig = z.output<typeof workerConfigSchema>;
