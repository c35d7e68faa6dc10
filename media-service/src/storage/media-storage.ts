import type { Readable } from 'node:stream';

/**
 * Where originals and variants are kept: local disk (a volume) by default, an
 * S3-compatible bucket when configured. Keys are made here only (`originalKey`,
 * `variantKey`), from ids and variant names, never from client input.
 */
export interface MediaStorage {
  readonly kind: 'local' | 's3';
  /**
   * A new local file path to spool an upload into while it is checked; on the
   * same filesystem as local storage, so keeping it is a rename.
   */
  spoolPath(): Promise<string>;
  /** Keeps a spooled file under `key`; the spool file is gone afterwards. */
  keepFile(key: string, path: string, contentType: string): Promise<void>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** A stream of the object's bytes `start`..`end` (inclusive), or of all of them; undefined when there is no such object. */
  open(key: string, range?: { start: number; end: number }): Promise<Readable | undefined>;
  /** Deletes the objects; keys that do not exist are fine. */
  delete(keys: readonly string[]): Promise<void>;
  /** Readiness: rejects when the storage cannot be written. */
  check(): Promise<void>;
}

export const originalKey = (imageId: string) => `originals/${imageId}`;
export const variantKey = (imageId: string, name: string) => `variants/${imageId}/${name}`;

/** What a key may look like: a guard against anything but the two shapes above reaching a path or a bucket. */
export const storageKeyPattern = /^(originals\/[0-9a-f-]{36}|variants\/[0-9a-f-]{36}\/[0-9]{1,5}\.(webp|avif))$/;

export function assertStorageKey(key: string): void {
  if (!storageKeyPattern.test(key)) throw new Error(`not a media storage key: ${JSON.stringify(key.slice(0, 100))}`);
}

/** The error of a read whose object does not exist. */
export class StoredObjectMissingError extends Error {
  constructor(key: string) {
    super(`no stored object ${key}`);
    this.name = 'StoredObjectMissingError';
  }
}
