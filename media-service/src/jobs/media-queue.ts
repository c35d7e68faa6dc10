import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { within, type Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { mediaQueueName, processImageJobOptions, type MediaJobData } from './job-types.ts';

const addTimeoutMs = 1000;

export interface ImageQueue {
  /** Queues an image's processing. Never fails the request: a job that cannot be queued is queued by the worker's sweep. */
  processImage(imageId: string): Promise<void>;
}

/**
 * The HTTP service's handle on the media queue: it only adds jobs, the worker
 * process runs them. Redis being away never fails an upload.
 */
export function connectImageQueue(options: { redisUrl: string; prefix: string; logger: Logger; lifecycle: Lifecycle; name: string }) {
  const { logger } = options;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: options.name, lazyConnect: true });
  connection.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  void connection.connect().catch(() => undefined);
  const queue = new Queue(mediaQueueName, { connection, prefix: options.prefix });
  queue.on('error', (error) => logger.warn({ err: error }, 'media queue error'));
  options.lifecycle.onStop('media queue', () => queue.close(), 'connections');
  options.lifecycle.onStop('redis', () => connection.quit().then(() => undefined, () => connection.disconnect()), 'connections');
  const images: ImageQueue = {
    async processImage(imageId) {
      const data: MediaJobData<'process-image'> = { imageId };
      // BullMQ waits for a connection that is not up yet rather than failing: an upload
      // does not wait with it. (If the add goes through later, the image id as job id
      // keeps it one job with the sweep's.)
      try {
        await within(queue.add('process-image', data, processImageJobOptions(imageId)), addTimeoutMs, 'Redis');
      } catch (error) {
        logger.warn({ err: error, imageId }, "could not queue the image; the worker's sweep will");
      }
    },
  };
  return { queue, images, readinessCheck: { name: 'redis', optional: true, check: () => connection.ping() } };
}
