import type { Lifecycle } from '@twenny/lifecycle';
import { connectWorkerRedis, keepScheduled, runJobs } from '@twenny/jobs';
import type { Logger } from '@twenny/logger';
import type { WorkerConfig } from '../config.ts';
import type { JobHandlers } from './handlers.ts';
import { orderJobNames, orderQueueName } from './job-types.ts';

/** Runs the order queue's jobs (hold timers, mail, refunds) and keeps its sweeps scheduled. */
export async function startOrderWorker(deps: { config: WorkerConfig; handlers: JobHandlers; logger: Logger; lifecycle: Lifecycle }) {
  const { config, handlers, logger, lifecycle } = deps;
  const connection = await connectWorkerRedis({ url: config.REDIS_URL, name: 'order-worker', logger, lifecycle });
  const { queue, worker } = runJobs({ queueName: orderQueueName, jobNames: orderJobNames, handlers, connection, prefix: config.REDIS_PREFIX, concurrency: config.WORKER_CONCURRENCY, logger, lifecycle });
  await keepScheduled(queue, [
    { name: 'sweep-expired-holds', everyMs: config.ORDER_SWEEP_EVERY_MS },
    { name: 'catch-up', everyMs: config.ORDER_SWEEP_EVERY_MS },
    { name: 'prune-messaging-tables', everyMs: config.MAINTENANCE_EVERY_MINUTES * 60_000, data: { retentionHours: config.MESSAGE_RETENTION_HOURS } },
  ]);
  return { queue, worker, readinessCheck: { name: 'redis', check: async () => void (await connection.ping()) } };
}
