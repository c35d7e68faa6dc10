import { fileURLToPath } from 'node:url';
import { createIdentityVerifier } from '@twenny/identity';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { startService } from '@twenny/service-kit';
import type { OrderConfig } from './config.ts';
import * as schema from './db/schema.ts';
import { reservationRoutes } from './http/reservation-routes.ts';
import { createHoldTimers } from './jobs/hold-timers.ts';
import { connectOrderQueue } from './jobs/order-queue.ts';
import { orderHandlers } from './messaging/handlers.ts';
import { publishInventoryChanges } from './use-cases/publish-inventory-changes.ts';

export const serviceName = 'order-service';

/**
 * order-service: inventory (the authority on availability), holds, checkout,
 * payments, tickets, refunds, check-in. Its BullMQ worker (worker.ts) runs the
 * timers. Tests start it in-process with their own config.
 */
export async function startOrderService(config: OrderConfig, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const verifier = createIdentityVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  let orderQueue: ReturnType<typeof connectOrderQueue> | undefined;
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'orders',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: orderHandlers,
      init: ({ database, lifecycle, logger }) => {
        orderQueue = connectOrderQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger, lifecycle, name: serviceName });
        startInventoryPublisher(database.db as unknown as DbExecutor, config.ORDER_INVENTORY_PUBLISH_MS, logger, lifecycle);
      },
      routes: (app, { database, logger }) => {
        const db = database.db as unknown as DbExecutor;
        const timers = createHoldTimers(orderQueue!.queue, logger);
        reservationRoutes(app, { db, verifier, timers, holdSeconds: config.ORDER_HOLD_SECONDS, maxTicketsPerBuyer: config.ORDER_MAX_TICKETS_PER_BUYER });
      },
      readiness: [{ name: 'redis', optional: true, check: () => orderQueue!.readinessCheck.check() }],
      // The worker process prunes outbox and inbox rows on a BullMQ schedule.
      pruneInProcess: false,
    },
    options,
  );
}

/** Announces changed inventory numbers every `everyMs`, one round at a time. */
function startInventoryPublisher(db: DbExecutor, everyMs: number, logger: Logger, lifecycle: Lifecycle) {
  let running: Promise<void> | undefined;
  const round = async () => {
    try {
      while ((await publishInventoryChanges(db)) === 500);
    } catch (error) {
      logger.warn({ err: error }, 'publishing inventory changes failed; will try again');
    }
  };
  const timer = setInterval(() => {
    running ??= round().finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  lifecycle.onStop('inventory publisher', async () => {
    clearInterval(timer);
    await running;
    // The last changes go out before the outbox relay stops.
    await round();
  }, 'workers');
}
