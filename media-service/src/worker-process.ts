import { Queue } from 'bullmq';
import sharp from 'sharp';
import { connectDatabase, type Database } from '@twenny/db';
import { createHttpApp, startHttpServer } from '@twenny/http-kit';
import { connectWorkerRedis } from '@twenny/jobs';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { createProcessContext } from '@twenny/service-kit';
import type { WorkerConfig } from './config.ts';
import type { VariantFormat } from './domain/variant-plan.ts';
import { createJobHandlers } from './jobs/handlers.ts';
import { mediaQueueName } from './jobs/job-types.ts';
import { startMediaWorker } from './jobs/start-worker.ts';
import { createStorage } from './storage/create-storage.ts';

export const workerName = 'media-worker';

/**
 * The media worker: makes variants of uploaded images off the HTTP path (a
 * BullMQ queue on Redis), removes deleted images' files, queues lost jobs again.
 * It serves only health routes. It does not migrate: media-service owns the
 * schema. Tests start it in this process; worker.ts runs it as its own, at a
 * lower CPU priority.
 */
export async function startMediaWorkerProcess(config: WorkerConfig, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  const { logger, lifecycle } = createProcessContext({ name: workerName, config, handleSignals: options.handleSignals, logger: options.logger });
  // One libvips thread per image: MEDIA_WORKER_CONCURRENCY images keep that many cores busy.
  // No operation cache: every image is new, and memory is better left to the next one.
  sharp.concurrency(1);
  sharp.cache(false);

  const database = connectDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE, applicationName: workerName, logger }) as Database<Record<string, unknown>>;
  lifecycle.onStop('database pool', () => database.close(), 'connections');
  await database.ping();
  const storage = createStorage(config);

  const connection = await connectWorkerRedis({ url: config.REDIS_URL, name: workerName, logger, lifecycle });
  const queue = new Queue(mediaQueueName, { connection, prefix: config.REDIS_PREFIX });
  lifecycle.onStop('media queue', () => queue.close(), 'connections');

  const formats: VariantFormat[] = config.MEDIA_AVIF_EFFORT >= 0 ? ['webp', 'avif'] : ['webp'];
  const handlers = createJobHandlers({ db: database.db as unknown as DbExecutor, storage, queue, render: { formats, avifEffort: Math.max(0, config.MEDIA_AVIF_EFFORT), maxPixels: config.MEDIA_MAX_PIXELS }, sweepEveryMs: config.MEDIA_SWEEP_EVERY_MS, logger });
  await startMediaWorker({ config, connection, queue, handlers, logger, lifecycle });

  const app = createHttpApp({
    logger,
    lifecycle,
    readiness: [{ name: 'postgres', check: () => database.ping() }, { name: 'redis', check: () => connection.ping() }, { name: 'storage', check: () => storage.check() }],
    routes: () => {},
  });
  const http = await startHttpServer(app, { port: config.WORKER_PORT, host: config.HOST, lifecycle, logger });
  lifecycle.markReady();
  logger.info({ port: http.port, concurrency: config.MEDIA_WORKER_CONCURRENCY, formats }, 'ready');
  return { http, logger, lifecycle, queue, stop: () => lifecycle.stop('stop() called') };
}
