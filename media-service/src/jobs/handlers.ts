import type { Queue } from 'bullmq';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import type { RenderOptions } from '../processing/render-variants.ts';
import type { MediaStorage } from '../storage/media-storage.ts';
import { failImage, processImage } from '../use-cases/process-image.ts';
import { purgeDeletedImages, requeueLostImages } from '../use-cases/sweep-images.ts';
import type { MediaJobData, MediaJobName } from './job-types.ts';

/** Which attempt of its job this is: the last one turns a failure into a failed image. */
export interface Attempt {
  /** Attempts before this one. */
  made: number;
  allowed: number;
}

export type JobHandlers = { [N in MediaJobName]: (data: MediaJobData<N>, attempt: Attempt) => Promise<unknown> };

export interface JobDeps {
  db: DbExecutor;
  storage: MediaStorage;
  queue: Queue;
  render: RenderOptions;
  /** How often the sweeps run: an image processing for twice as long with no job is queued again. */
  sweepEveryMs: number;
  logger: Logger;
}

export function createJobHandlers(deps: JobDeps): JobHandlers {
  return {
    'process-image': async ({ imageId }, attempt) => {
      try {
        return await processImage(deps, imageId);
      } catch (error) {
        if (attempt.made + 1 < attempt.allowed) throw error;
        deps.logger.error({ err: error, imageId }, 'image processing failed on its last attempt');
        return failImage(deps, imageId, 'processing', 'Processing kept failing; upload the image again.');
      }
    },
    'purge-deleted-images': () => purgeDeletedImages(deps),
    'requeue-lost-images': () => requeueLostImages(deps, 2 * deps.sweepEveryMs),
  };
}

