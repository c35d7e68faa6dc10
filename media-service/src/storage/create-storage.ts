import { join } from 'node:path';
import type { StorageConfig } from '../config.ts';
import { createLocalStorage } from './local-storage.ts';
import type { MediaStorage } from './media-storage.ts';
import { createS3Storage } from './s3-storage.ts';

/** The storage the configuration names (MEDIA_STORAGE). */
export function createStorage(config: StorageConfig): MediaStorage {
  if (config.MEDIA_STORAGE === 's3') {
    return createS3Storage({
      bucket: config.MEDIA_S3_BUCKET!,
      region: config.MEDIA_S3_REGION,
      endpoint: config.MEDIA_S3_ENDPOINT,
      forcePathStyle: config.MEDIA_S3_FORCE_PATH_STYLE,
      prefix: config.MEDIA_S3_PREFIX,
      // Uploads are checked on local disk before they go to the bucket.
      spoolDir: join(config.MEDIA_STORAGE_DIR, 'incoming'),
    });
  }
  return createLocalStorage(config.MEDIA_STORAGE_DIR);
}
