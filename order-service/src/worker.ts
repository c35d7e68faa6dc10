import { loadConfigOrExit } from '@twenny/config';
import { connectDatabase, type Database } from '@twenny/db';
import { createHttpApp, startHttpServer } from '@twenny/http-kit';
import { createProcessContext, runMain } from '@twenny/service-kit';
import { workerConfigSchema } from './config.ts';
import { createJobHandlers } from './jobs/handlers.ts';
import { startOrderWorker } from './jobs/start-worker.ts';

/**
 * The order worker: a separate process that runs BullMQ jobs (timers, sweeps,
 * maintenance) and scales on its own. It serves only health routes.
 */
const name = 'order-worker';
const config = loadConfigOrExit(name, workerConfigSchema);

runMain(name, async () => {
  const { logger, lifecycle } = createProcessContext({ name, config });
  const database = connectDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, applicationName: name, logger }) as Database<Record<string, unknown>>;
  lifecycle.onStop('database pool', () => database.close(), 'connections');
  await database.ping();

  const worker = await startOrderWorker({ config, handlers: createJobHandlers({ database, logger }), logger, lifecycle });
  const app = createHttpApp({ logger, lifecycle, readiness: [{ name: 'postgres', check: () => database.ping() }, worker.readinessCheck], routes: () => {} });
  await startHttpServer(app, { port: config.WORKER_PORT, host: config.HOST, lifecycle, logger });
  lifecycle.markReady();
  logger.info('ready');
});
