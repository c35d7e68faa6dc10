import { z } from 'zod';
import { env, serviceEnv } from '@twenny/config';

/** What both order processes (HTTP service and worker) read. */
export const configSchema = serviceEnv({ port: 4003, databaseRole: 'twenny_orders' }).extend({
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ: lets tests and several stacks share one Redis. */
  REDIS_PREFIX: env.prefix('twenny'),
  /** How long a hold keeps tickets for the buyer (seconds). */
  ORDER_HOLD_SECONDS: env.int(600, { min: 1, max: 24 * 3600 }),
  /** Tickets one buyer may hold and buy for one event, across all their holds and orders. */
  ORDER_MAX_TICKETS_PER_BUYER: env.int(10, { min: 1, max: 1000 }),
  /** How often changed inventory numbers go on the bus at most (ms): bursts are coalesced. */
  ORDER_INVENTORY_PUBLISH_MS: env.int(250, { min: 10, max: 60_000 }),
});

/** The BullMQ worker process: its own health port. */
export const workerConfigSchema = configSchema.extend({
  WORKER_PORT: env.port(4013),
  WORKER_CONCURRENCY: env.int(20, { min: 1, max: 500 }),
  MAINTENANCE_EVERY_MINUTES: env.int(60, { min: 1, max: 24 * 60 }),
  /** How often the sweeper looks for holds whose timer was lost (ms); 0 turns it off. */
  ORDER_SWEEP_EVERY_MS: env.int(15_000, { min: 0, max: 3_600_000 }),
});

export type OrderConfig = z.output<typeof configSchema>;
export type WorkerConfig = z.output<typeof workerConfigSchema>;
