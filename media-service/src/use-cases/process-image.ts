import { createHash } from 'node:crypto';
import { imageFailedV1, imageProcessedV1 } from '@twenny/contracts';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { findImage, markFailed, markReady, type VariantRow } from '../db/image-store.ts';
import { variantContentType, variantUrl } from '../domain/variant-plan.ts';
import { mediaOutbox } from '../messaging/media-outbox.ts';
import { renderVariants, UndecodableImageError, type RenderOptions } from '../processing/render-variants.ts';
import { originalKey, StoredObjectMissingError, variantKey, type MediaStorage } from '../storage/media-storage.ts';

export interface ProcessDeps {
  db: DbExecutor;
  storage: MediaStorage;
  render: RenderOptions;
  logger: Logger;
}

export type ProcessOutcome = 'ready' | 'failed' | 'skipped';

/** A strong ETag of a variant's bytes. */
export function etagOf(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/**
 * Makes an image's variants, stores them, and marks it ready with
 * media.image.processed.v1 in the same transaction. A damaged image is marked
 * failed (media.image.failed.v1) at once; anything else throws, for the job to
 * be tried again. An image that is no longer processing (done, or deleted
 * meanwhile) is left alone, and what this attempt stored is removed.
 */
export async function processImage(deps: ProcessDeps, imageId: string): Promise<ProcessOutcome> {
  const { db, storage, logger } = deps;
  const found = await findImage(db, imageId);
  if (!found || found.image.status !== 'processing') return 'skipped';
  const { image } = found;

  let input: Buffer;
  try {
    input = await storage.read(originalKey(imageId));
  } catch (error) {
    if (error instanceof StoredObjectMissingError) return failImage(deps, imageId, 'processing', 'The uploaded file is missing from storage; upload the image again.');
    throw error;
  }
  let rendered;
  try {
    rendered = await renderVariants(input, deps.render);
  } catch (error) {
    if (error instanceof UndecodableImageError) return failImage(deps, imageId, 'undecodable', error.message);
    throw error;
  }

  const stored: string[] = [];
  const variants: Array<Omit<VariantRow, 'imageId'>> = [];
  try {
    for (const variant of rendered.variants) {
      const key = variantKey(imageId, variant.name);
      await storage.put(key, variant.bytes, variantContentType[variant.format]);
      stored.push(key);
      variants.push({ name: variant.name, format: variant.format, width: variant.width, height: variant.height, bytes: variant.bytes.length, etag: etagOf(variant.bytes) });
    }
    const committed = await db.transaction(async (tx) => {
      const ready = await markReady(tx, imageId, { width: rendered.width, height: rendered.height, placeholder: rendered.placeholder, dominantColor: rendered.dominantColor, variants });
      if (!ready) return false;
      await mediaOutbox.enqueue(tx, imageProcessedV1, {
        subject: imageId,
        version: ready.version,
        data: {
          imageId,
          organizationId: image.organizationId,
          eventId: image.eventId,
          alt: image.alt,
          width: rendered.width,
          height: rendered.height,
          variants: variants.map((v) => ({ width: v.width, height: v.height, format: v.format, url: variantUrl(imageId, v.name) })),
          placeholder: rendered.placeholder,
          dominantColor: rendered.dominantColor,
        },
      });
      return true;
    });
    if (!committed) {
      await removeUnlessReady(deps, imageId, stored);
      return 'skipped';
    }
  } catch (error) {
    // Removed, not left behind: a later attempt stores them again.
    await removeUnlessReady(deps, imageId, stored).catch((cleanup: unknown) => logger.warn({ err: cleanup, imageId }, 'could not remove the variants of a failed attempt'));
    throw error;
  }
  logger.info({ imageId, variants: variants.length, bytes: variants.reduce((sum, v) => sum + v.bytes, 0) }, 'image processed');
  return 'ready';
}

/**
 * Removes what an attempt stored, unless the image is ready: then another
 * attempt (a stalled job run twice) won, and these keys are its variants too.
 */
async function removeUnlessReady(deps: Pick<ProcessDeps, 'db' | 'storage'>, imageId: string, stored: string[]): Promise<void> {
  if (stored.length === 0) return;
  const found = await findImage(deps.db, imageId);
  if (found?.image.status === 'ready') return;
  await deps.storage.delete(stored);
}

/** Marks a processing image failed and says so on the bus, in one transaction. */
export async function failImage(deps: Pick<ProcessDeps, 'db' | 'logger'>, imageId: string, code: 'undecodable' | 'processing', reason: string): Promise<ProcessOutcome> {
  const failed = await deps.db.transaction(async (tx) => {
    const image = await markFailed(tx, imageId, reason);
    if (!image) return false;
    await mediaOutbox.enqueue(tx, imageFailedV1, { subject: imageId, version: image.version, data: { imageId, organizationId: image.organizationId, eventId: image.eventId, code, reason } });
    return true;
  });
  if (failed) deps.logger.warn({ imageId, code, reason }, 'image failed');
  return failed ? 'failed' : 'skipped';
}
