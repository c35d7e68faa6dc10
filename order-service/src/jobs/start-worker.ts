import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { safeUrl } from '@twenny/logger';
import type { WorkerConfig } from '../config.ts';
import { assertEveryJobHasAHandler, type JobHandlers } from './handlers.ts';
import { orderQueueName, type OrderJobName } from './job-types.ts';

/**
 * Starts the BullMQ worker on the order queue and the schedules it owns. Job
 * handlers are looked up by name; an unknown name fails that job, never the worker.
 */
export async function startOrderWorker(deps: { config: WorkerConfig; handlers: JobHandlers; logger: Logger; lifecycle: Lifecycle }) {
  const { config, handlers, logger, lifecycle } = deps;
  assertEveryJobHasAHandler(handlers);

  // BullMQ needs maxRetriesPerRequest: null for its blocking connection.
  const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: 'order-worker' });
  try {
    await connection.connect();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${safeUrl(config.REDIS_URL)}: ${(error as Error).message}`, { cause: error });
  }
  connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));

  const queue = new Queue(orderQueueName, { connection, prefix: config.REDIS_PREFIX });
  const worker = new Worker(
    orderQueueName,
    async (job: Job) => {
      const handler = handlers[job.name as OrderJobName] as ((data: unknown) => Promise<unknown>) | undefined;
      if (!handler) throw new Error(`unknown job ${job.name}`);
      return handler(job.data);
    },
    { connection, prefix: config.REDIS_PREFIX, concurrency: config.WORKER_CONCURRENCY },
  );
  worker.on('failed', (job, error) => logger.warn({ err: error, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));

  if (config.ORDER_SWEEP_EVERY_MS > 0) {
    for (const name of ['sweep-expired-holds', 'catch-up'] as const) {
      await queue.upsertJobScheduler(name, { every: config.ORDER_SWEEP_EVERY_MS }, { name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    }
  } else {
    await queue.removeJobScheduler('sweep-expired-holds');
    await queue.removeJobScheduler('catch-up');
  }
  await queue.upsertJobScheduler(
    'prune-messaging-tables',
    { every: config.MAINTENANCE_EVERY_MINUTES * 60_000 },
    { name: 'prune-messaging-tables', data: { retentionHours: config.MESSAGE_RETENTION_HOURS }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );

  lifecycle.onStop('bullmq worker', () => worker.close(), 'workers');
  lifecycle.onStop('bullmq queue', () => queue.close(), 'connections');
  lifecycle.onStop('redis', () => connection.quit().catch(() => connection.disconnect()), 'connections');

  return { queue, worker, readinessCheck: { name: 'redis', check: async () => void (await connection.ping()) } };
}
