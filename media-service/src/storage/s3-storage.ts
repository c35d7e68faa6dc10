import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertStorageKey, StoredObjectMissingError, type MediaStorage } from './media-storage.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint; undefined for AWS. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Prepended to every key. */
  prefix: string;
  /** Where uploads are spooled while they are checked (a local directory). */
  spoolDir: string;
}

/** The bucket's key for a storage key: the configured prefix, then the key. */
export function s3ObjectKey(prefix: string, key: string): string {
  assertStorageKey(key);
  return `${prefix}${key}`;
}

const isMissing = (error: unknown) => error instanceof NoSuchKey || (error as { name?: string })?.name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/**
 * An S3-compatible bucket. Credentials are the AWS SDK's own concern (its default
 * chain: environment, shared files, an instance or pod role); this module never
 * sees them, so they cannot reach a log. Spooled uploads stream to the bucket
 * (multipart for large ones) and are removed locally afterwards.
 */
export function createS3Storage(options: S3StorageOptions): MediaStorage {
  const client = new S3Client({ region: options.region, endpoint: options.endpoint, forcePathStyle: options.forcePathStyle });
  const { bucket } = options;
  const objectKey = (key: string) => s3ObjectKey(options.prefix, key);
  return {
    kind: 's3',
    async spoolPath() {
      await mkdir(options.spoolDir, { recursive: true });
      return join(options.spoolDir, randomUUID());
    },
    async keepFile(key, path, contentType) {
      try {
        await new Upload({ client, params: { Bucket: bucket, Key: objectKey(key), Body: createReadStream(path), ContentType: contentType } }).done();
      } finally {
        await rm(path, { force: true });
      }
    },
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: body, ContentType: contentType }));
    },
    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return Buffer.from(await object.Body!.transformToByteArray());
      } catch (error) {
        if (isMissing(error)) throw new StoredObjectMissingError(key);
        throw error;
      }
    },
    async open(key, range) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        return object.Body as Readable;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async delete(keys) {
      // DeleteObjects takes at most 1,000 keys.
      for (let at = 0; at < keys.length; at += 1000) {
        const objects = keys.slice(at, at + 1000).map((key) => ({ Key: objectKey(key) }));
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      }
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}
