import { fileURLToPath } from 'node:url';
import { createIdentityVerifier } from '@twenny/identity';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { startService } from '@twenny/service-kit';
import type { OrderConfig } from './config.ts';
import * as schema from './db/schema.ts';
import { checkInRoutes } from './http/check-in-routes.ts';
import { orderApiDocument } from './http/openapi.ts';
import { orderRoutes, paymentWebhookRoutes } from './http/order-routes.ts';
import { organiserRoutes } from './http/organiser-routes.ts';
import { reservationRoutes } from './http/reservation-routes.ts';
import { testProviderRoutes } from './http/test-provider-routes.ts';
import { connectHoldsDatabase } from './db/holds-database.ts';
import { createHoldTimers } from './jobs/hold-timers.ts';
import { connectOrderQueue } from './jobs/order-queue.ts';
import { orderHandlers } from './messaging/handlers.ts';
import { createPaymentProvider } from './payments/create-provider.ts';
import type { TestPaymentProvider } from './payments/test-provider.ts';
import type { OrderDeps } from './use-cases/order-deps.ts';
import { publishInventoryChanges } from './use-cases/publish-inventory-changes.ts';
import { completeRefund } from './use-cases/refund-order.ts';

export const serviceName = 'order-service';

/**
 * order-service: inventory (the authority on availability), holds, checkout,
 * payments, tickets, refunds, check-in. Its BullMQ worker (worker.ts) runs the
 * timers, mail and retries. Tests start it in-process with their own config.
 */
export async function startOrderService(config: OrderConfig, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const verifier = createIdentityVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  let orderQueue: ReturnType<typeof connectOrderQueue>;
  let deps: OrderDeps;
  let provider: TestPaymentProvider;
  let ownUrl = '';
  let holdsDb: DbExecutor;
  const apiDocument = orderApiDocument();
  const service = await startService(
    {
      name: serviceName,
      config,
      dbSchema: 'orders',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: orderHandlers,
      init: ({ database, lifecycle, logger }) => {
        const db = database.db as unknown as DbExecutor;
        holdsDb = connectHoldsDatabase(config, serviceName, lifecycle) ?? db;
        orderQueue = connectOrderQueue({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger, lifecycle, name: serviceName });
        provider = createPaymentProvider(config, { db, logger, webhookUrl: () => config.PAYMENT_WEBHOOK_URL ?? `${ownUrl}/api/payments/webhooks/${config.PAYMENT_PROVIDER}` });
        lifecycle.onStop('payment provider', () => provider.close(), 'workers');
        if (config.NODE_ENV === 'production' && config.PAYMENT_PROVIDER === 'test') logger.warn('the test payment provider takes no money: every order it "pays" is free. Configure a real provider before selling tickets.');
        deps = {
          db,
          provider,
          ticketKeys: config.TICKET_SIGNING_KEYS,
          siteUrl: config.PUBLIC_SITE_URL,
          logger,
          followUps: {
            mail: (mailId) => orderQueue.sendMail(mailId),
            // Tried at once; a failure is left to the worker's retries.
            refund: async (refundId) => void (await completeRefund(deps, refundId)),
          },
        };
        startInventoryPublisher(db, config.ORDER_INVENTORY_PUBLISH_MS, logger, lifecycle);
      },
      rawBodyRoutes: (app) => paymentWebhookRoutes(app, deps),
      routes: (app, { logger }) => {
        const timers = createHoldTimers(orderQueue.add, logger);
        reservationRoutes(app, { db: holdsDb, keysDb: deps.db, verifier, timers, holdSeconds: config.ORDER_HOLD_SECONDS, maxTicketsPerBuyer: config.ORDER_MAX_TICKETS_PER_BUYER });
        orderRoutes(app, { ...deps, verifier });
        checkInRoutes(app, { db: deps.db, verifier, ticketKeys: deps.ticketKeys });
        organiserRoutes(app, { db: deps.db, verifier });
        testProviderRoutes(app, { provider });
      },
      openapi: () => apiDocument,
      readiness: [{ name: 'redis', optional: true, check: () => orderQueue.readinessCheck.check() }],
      // The worker process prunes outbox and inbox rows on a BullMQ schedule.
      pruneInProcess: false,
    },
    options,
  );
  ownUrl = service.http.url;
  return service;
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
