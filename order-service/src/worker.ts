import { loadConfigOrExit } from '@twenny/config';
import { connectDatabase, type Database } from '@twenny/db';
import { createHttpApp, startHttpServer } from '@twenny/http-kit';
import { createMailer } from '@twenny/mail';
import type { DbExecutor } from '@twenny/messaging';
import { createProcessContext, runMain } from '@twenny/service-kit';
import { workerConfigSchema } from './config.ts';
import { connectHoldsDatabase } from './db/holds-database.ts';
import { createJobHandlers } from './jobs/handlers.ts';
import { startOrderWorker } from './jobs/start-worker.ts';
import { createPaymentProvider } from './payments/create-provider.ts';

/**
 * The order worker: a separate process that runs BullMQ jobs (hold timers,
 * sweeps, mail, refund retries, maintenance) and scales on its own. It serves
 * only health routes.
 */
const name = 'order-worker';
const config = loadConfigOrExit(name, workerConfigSchema);

runMain(name, async () => {
  const { logger, lifecycle } = createProcessContext({ name, config });
  const database = connectDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE, applicationName: name, logger }) as Database<Record<string, unknown>>;
  lifecycle.onStop('database pool', () => database.close(), 'connections');
  await database.ping();
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
  lifecycle.onStop('mailer', () => mailer.close(), 'connections');
  // The worker only refunds; it never creates payments, so webhooks are not its business.
  const provider = createPaymentProvider(config, { db: database.db as unknown as DbExecutor, logger, webhookUrl: () => config.PAYMENT_WEBHOOK_URL ?? `http://127.0.0.1:${config.PORT}/api/payments/webhooks/${config.PAYMENT_PROVIDER}` });
  lifecycle.onStop('payment provider', () => provider.close(), 'workers');

  const handlers = createJobHandlers({ database, holdsDb: connectHoldsDatabase(config, name, lifecycle), logger, mailer, provider, ticketKeys: config.TICKET_SIGNING_KEYS, reconcileAfterMs: config.ORDER_PAYMENT_RECONCILE_AFTER_MS, siteUrl: config.PUBLIC_SITE_URL });
  const worker = await startOrderWorker({ config, handlers, logger, lifecycle });
  const app = createHttpApp({ logger, lifecycle, readiness: [{ name: 'postgres', check: () => database.ping() }, worker.readinessCheck], routes: () => {} });
  await startHttpServer(app, { port: config.WORKER_PORT, host: config.HOST, lifecycle, logger });
  lifecycle.markReady();
  logger.info('ready');
});
