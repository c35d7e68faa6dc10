import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { orderQueueName } from './job-types.ts';

/**
 * The HTTP service's handle on the order queue: it only adds jobs (hold timers,
 * mail), the worker process runs them. Redis being away never fails a request:
 * the sweeper and the retry jobs catch up.
 */
export function connectOrderQueue(options: { redisUrl: string; prefix: string; logger: Logger; lifecycle: Lifecycle; name: string }) {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: options.name, lazyConnect: true });
  connection.on('error', (error) => options.logger.warn({ err: error }, 'redis error'));
  void connection.connect().catch(() => undefined);
  const queue = new Queue(orderQueueName, { connection, prefix: options.prefix });
  queue.on('error', (error) => options.logger.warn({ err: error }, 'order queue error'));
  options.lifecycle.onStop('order queue', () => queue.close(), 'connections');
  options.lifecycle.onStop('redis', () => connection.quit().then(() => undefined, () => connection.disconnect()), 'connections');
  return { queue, readinessCheck: { name: 'redis', optional: true, check: () => connection.ping() } };
}
