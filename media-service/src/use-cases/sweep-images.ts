import type { Queue } from 'bullmq';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { deleteImageRows, imagesToPurge, processingSince } from '../db/image-store.ts';
import { processImageJobOptions } from '../jobs/job-types.ts';
import { originalKey, variantKey, type MediaStorage } from '../storage/media-storage.ts';
import { failImage } from './process-image.ts';

/** Removes the files of deleted images (original and variants), then their rows. */
export async function purgeDeletedImages(deps: { db: DbExecutor; storage: MediaStorage; logger: Logger }): Promise<{ purged: number }> {
  let purged = 0;
  for (let batch; (batch = await imagesToPurge(deps.db, 100)).length > 0; ) {
    await deps.storage.delete(batch.flatMap(({ id, variantNames }) => [originalKey(id), ...variantNames.map((name) => variantKey(id, name))]));
    await deleteImageRows(deps.db, batch.map((b) => b.id));
    purged += batch.length;
  }
  if (purged > 0) deps.logger.info({ purged }, 'removed the files of deleted images');
  return { purged };
}

/**
 * Queues again images that are still processing with no job: Redis was away at
 * upload, or lost its jobs (it keeps nothing on disk). Only images older than
 * `lostAfterMs` are looked at (a fresh upload queues its own job; were both to
 * add it, the image id as job id keeps one). A job that failed for good without
 * marking its image (the database was away then) marks it now.
 */
export async function requeueLostImages(deps: { db: DbExecutor; queue: Queue; logger: Logger }, lostAfterMs: number): Promise<{ requeued: number }> {
  let requeued = 0;
  for (const imageId of await processingSince(deps.db, lostAfterMs, 500)) {
    const job = await deps.queue.getJob(imageId);
    if (!job) {
      await deps.queue.add('process-image', { imageId }, processImageJobOptions(imageId));
      requeued++;
    } else if (await job.isFailed()) {
      await failImage(deps, imageId, 'processing', 'Processing kept failing; upload the image again.');
    }
  }
  if (requeued > 0) deps.logger.info({ requeued }, 'queued images whose job was lost');
  return { requeued };
}
