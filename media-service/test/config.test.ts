import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@twenny/config';
import { configSchema, workerConfigSchema } from '../src/config.ts';
import { s3ObjectKey } from '../src/storage/s3-storage.ts';

describe('media configuration', () => {
  it('works with nothing set: local storage, 25 MiB, 100 megapixels; the worker at nice 10 with AVIF at effort 2', () => {
    expect(loadConfig(configSchema, {})).toMatchObject({ MEDIA_STORAGE: 'local', MEDIA_MAX_UPLOAD_BYTES: 26_214_400, MEDIA_MAX_PIXELS: 100_000_000, MEDIA_STORAGE_DIR: expect.stringMatching(/media-service\/\.data\/media$/) });
    expect(loadConfig(workerConfigSchema, {})).toMatchObject({ WORKER_PORT: 4014, MEDIA_WORKER_NICE: 10, MEDIA_AVIF_EFFORT: 2, MEDIA_WORKER_CONCURRENCY: 2 });
  });

  it('needs a bucket for S3 storage, and says so by name', () => {
    for (const schema of [configSchema, workerConfigSchema]) {
      expect(() => loadConfig(schema, { MEDIA_STORAGE: 's3' })).toThrow(ConfigError);
      expect(() => loadConfig(schema, { MEDIA_STORAGE: 's3' })).toThrow(expect.objectContaining({ variables: ['MEDIA_S3_BUCKET'] }));
    }
    expect(loadConfig(configSchema, { MEDIA_STORAGE: 's3', MEDIA_S3_BUCKET: 'twenny-media', MEDIA_S3_ENDPOINT: 'http://minio:9000', MEDIA_S3_FORCE_PATH_STYLE: 'true' })).toMatchObject({ MEDIA_S3_BUCKET: 'twenny-media', MEDIA_S3_FORCE_PATH_STYLE: true });
  });
});

describe('S3 object keys', () => {
  it('are the storage key under the configured prefix, and nothing else gets through', () => {
    const id = '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(s3ObjectKey('', `originals/${id}`)).toBe(`originals/${id}`);
    expect(s3ObjectKey('stack-a/', `variants/${id}/800.avif`)).toBe(`stack-a/variants/${id}/800.avif`);
    expect(() => s3ObjectKey('stack-a/', '../other-stack/x')).toThrow(/not a media storage key/);
  });
});
