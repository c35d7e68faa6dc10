import { connectJobQueue } from '@twenny/jobs';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { mediaQueueName, processImageJobOptions, type MediaJobData } from './job-types.ts';

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
  const jobs = connectJobQueue({ queueName: mediaQueueName, url: options.redisUrl, prefix: options.prefix, name: options.name, logger, lifecycle: options.lifecycle });
  const images: ImageQueue = {
    async processImage(imageId) {
      const data: MediaJobData<'process-image'> = { imageId };
      try {
        // If the add goes through later after all, the image id as job id keeps it one job with the sweep's.
        await jobs.add('process-image', data, processImageJobOptions(imageId));
      } catch (error) {
        logger.warn({ err: error, imageId }, "could not queue the image; the worker's sweep will");
      }
    },
  };
  return { queue: jobs.queue, images, readinessCheck: jobs.readinessCheck };
}
