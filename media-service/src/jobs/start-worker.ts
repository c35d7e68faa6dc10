import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import type { WorkerConfig } from '../config.ts';
import { assertEveryJobHasAHandler, type JobHandlers } from './handlers.ts';
import { mediaQueueName, type MediaJobName } from './job-types.ts';

/**
 * Runs the media queue's jobs, MEDIA_WORKER_CONCURRENCY at once (images are the
 * heavy ones), and keeps the sweeps scheduled. Handlers are looked up by name; an
 * unknown name fails that job, never the worker.
 */
export async function startMediaWorker(deps: { config: WorkerConfig; connection: Redis; queue: Queue; handlers: JobHandlers; logger: Logger; lifecycle: Lifecycle }) {
  const { config, connection, queue, handlers, logger, lifecycle } = deps;
  assertEveryJobHasAHandler(handlers);
  const worker = new Worker(
    mediaQueueName,
    async (job: Job) => {
      const handler = handlers[job.name as MediaJobName] as ((data: unknown, attempt: { made: number; allowed: number }) => Promise<unknown>) | undefined;
      if (!handler) throw new Error(`unknown job ${job.name}`);
      return handler(job.data, { made: job.attemptsMade, allowed: job.opts.attempts ?? 1 });
    },
    { connection, prefix: config.REDIS_PREFIX, concurrency: config.MEDIA_WORKER_CONCURRENCY },
  );
  worker.on('failed', (job, error) => logger.warn({ err: error, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed'));
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));

  for (const name of ['purge-deleted-images', 'requeue-lost-images'] as const) {
    await queue.upsertJobScheduler(name, { every: config.MEDIA_SWEEP_EVERY_MS }, { name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  }
  lifecycle.onStop('bullmq worker', () => worker.close(), 'workers');
  return { worker };
}
