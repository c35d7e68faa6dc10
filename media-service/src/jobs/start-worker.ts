import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Lifecycle } from '@twenny/lifecycle';
import { keepScheduled, runJobs } from '@twenny/jobs';
import type { Logger } from '@twenny/logger';
import type { WorkerConfig } from '../config.ts';
import type { JobHandlers } from './handlers.ts';
import { mediaJobNames, mediaQueueName } from './job-types.ts';

/** Runs the media queue's jobs, MEDIA_WORKER_CONCURRENCY at once (images are the heavy ones), and keeps the sweeps scheduled. */
export async function startMediaWorker(deps: { config: WorkerConfig; connection: Redis; queue: Queue; handlers: JobHandlers; logger: Logger; lifecycle: Lifecycle }): Promise<void> {
  const { config, connection, queue, handlers, logger, lifecycle } = deps;
  runJobs({ queueName: mediaQueueName, jobNames: mediaJobNames, handlers, connection, queue, prefix: config.REDIS_PREFIX, concurrency: config.MEDIA_WORKER_CONCURRENCY, logger, lifecycle });
  await keepScheduled(queue, [
    { name: 'purge-deleted-images', everyMs: config.MEDIA_SWEEP_EVERY_MS },
    { name: 'requeue-lost-images', everyMs: config.MEDIA_SWEEP_EVERY_MS },
  ]);
}
