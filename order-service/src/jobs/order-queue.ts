import { connectJobQueue } from '@twenny/jobs';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { orderQueueName, type OrderJobData } from './job-types.ts';

/** Mail jobs: a few quick retries; the worker's sweep picks up whatever they miss. */
export const mailJobOptions = (mailId: string) => ({ jobId: `mail-${mailId}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } });

/**
 * The HTTP service's handle on the order queue: it only adds jobs (hold timers,
 * mail), the worker process runs them. Redis being away never fails a request:
 * the sweeper and the retry jobs catch up.
 */
export function connectOrderQueue(options: { redisUrl: string; prefix: string; logger: Logger; lifecycle: Lifecycle; name: string }) {
  const { logger } = options;
  const jobs = connectJobQueue({ queueName: orderQueueName, url: options.redisUrl, prefix: options.prefix, name: options.name, logger, lifecycle: options.lifecycle });
  return {
    ...jobs,
    async sendMail(mailId: string) {
      const data: OrderJobData<'send-mail'> = { mailId };
      try {
        await jobs.add('send-mail', data, mailJobOptions(mailId));
      } catch (error) {
        logger.warn({ err: error, mailId }, "could not queue the mail; the worker's sweep will send it");
      }
    },
  };
}
