import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { within, type Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { orderQueueName, type OrderJobData } from './job-types.ts';

/**
 * How long a request waits for Redis to take a job. BullMQ's `add` waits for a
 * connection that was never up rather than failing; the request must not.
 */
export const queueAddTimeoutMs = 1000;

/** Mail jobs: a few quick retries; the worker's sweep picks up whatever they miss. */
export const mailJobOptions = (mailId: string) => ({ jobId: `mail-${mailId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } });

/**
 * The HTTP service's handle on the order queue: it only adds jobs (hold timers,
 * mail), the worker process runs them. Redis being away never fails a request:
 * the sweeper and the retry jobs catch up.
 */
export function connectOrderQueue(options: { redisUrl: string; prefix: string; logger: Logger; lifecycle: Lifecycle; name: string }) {
  const { logger } = options;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: options.name, lazyConnect: true });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  void connection.connect().catch(() => undefined);
  const queue = new Queue(orderQueueName, { connection, prefix: options.prefix });
  queue.on('error', (error) => logger.warn({ err: error }, 'order queue error'));
  options.lifecycle.onStop('order queue', () => queue.close(), 'connections');
  options.lifecycle.onStop('redis', () => connection.quit().then(() => undefined, () => connection.disconnect()), 'connections');
  return {
    queue,
    readinessCheck: { name: 'redis', optional: true, check: () => connection.ping() },
    async sendMail(mailId: string) {
      const data: OrderJobData<'send-mail'> = { mailId };
      try {
        await within(queue.add('send-mail', data, mailJobOptions(mailId)), queueAddTimeoutMs, 'Redis');
      } catch (error) {
        logger.warn({ err: error, mailId }, 'could not queue the mail; the worker\'s sweep will send it');
      }
    },
  };
}
