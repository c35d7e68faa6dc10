/**
 * Every job the media worker runs, as a discriminated union: the name picks the
 * payload type. The handlers (handlers.ts) must cover every name; the worker
 * checks it at start-up as well, for names added without a handler.
 */
export type MediaJob =
  /** Makes an uploaded image's variants. Its job id is the image id, so it is queued once. */
  | { name: 'process-image'; data: { imageId: string } }
  /** Removes the files of deleted images, then their rows. */
  | { name: 'purge-deleted-images'; data: Record<string, never> }
  /** Queues again images whose job was lost (Redis here keeps nothing on disk, or was away at upload). */
  | { name: 'requeue-lost-images'; data: Record<string, never> };

export type MediaJobName = MediaJob['name'];
export type MediaJobData<N extends MediaJobName> = Extract<MediaJob, { name: N }>['data'];

export const mediaJobNames: readonly MediaJobName[] = ['process-image', 'purge-deleted-images', 'requeue-lost-images'];

export const mediaQueueName = 'media';

/** Attempts of one image's job: a failure of ours (storage, database) is retried; a damaged image is not. */
export const processImageJobOptions = (imageId: string) => ({
  jobId: imageId,
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 24 * 3600 },
});
