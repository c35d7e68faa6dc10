import { and, asc, desc, eq, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { images, variants } from './schema.ts';

export type ImageRow = typeof images.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;

export async function insertImage(db: DbExecutor, row: typeof images.$inferInsert): Promise<void> {
  await db.insert(images).values(row);
}

/** An image with its variants (WebP then AVIF, smallest first), or undefined. */
export async function findImage(db: DbExecutor, id: string): Promise<{ image: ImageRow; variants: VariantRow[] } | undefined> {
  const [image] = await db.select().from(images).where(eq(images.id, id));
  if (!image) return undefined;
  const rows = await db.select().from(variants).where(eq(variants.imageId, id)).orderBy(desc(variants.format), asc(variants.width));
  return { image, variants: rows };
}

/** A variant as served: only of an image that is ready (never one being deleted). */
export async function servedVariant(db: DbExecutor, imageId: string, name: string): Promise<Pick<VariantRow, 'format' | 'bytes' | 'etag'> | undefined> {
  const [row] = await db
    .select({ format: variants.format, bytes: variants.bytes, etag: variants.etag })
    .from(variants)
    .innerJoin(images, eq(images.id, variants.imageId))
    .where(and(eq(variants.imageId, imageId), eq(variants.name, name), eq(images.status, 'ready')));
  return row;
}

/**
 * Marks a processing image ready with its variants, in the caller's transaction.
 * Undefined when it is no longer processing (deleted meanwhile, or done by another attempt).
 */
export async function markReady(
  tx: DbExecutor,
  id: string,
  result: { width: number; height: number; placeholder: string; dominantColor: string; variants: Array<Omit<VariantRow, 'imageId'>> },
): Promise<ImageRow | undefined> {
  const [image] = await tx
    .update(images)
    .set({ status: 'ready', version: sql`${images.version} + 1`, width: result.width, height: result.height, placeholder: result.placeholder, dominantColor: result.dominantColor, processedAt: sql`now()` })
    .where(and(eq(images.id, id), eq(images.status, 'processing')))
    .returning();
  if (!image) return undefined;
  await tx.insert(variants).values(result.variants.map((variant) => ({ ...variant, imageId: id })));
  return image;
}

/** Marks a processing image failed, in the caller's transaction; undefined when it is no longer processing. */
export async function markFailed(tx: DbExecutor, id: string, reason: string): Promise<ImageRow | undefined> {
  const [image] = await tx
    .update(images)
    .set({ status: 'failed', version: sql`${images.version} + 1`, failureReason: reason, processedAt: sql`now()` })
    .where(and(eq(images.id, id), eq(images.status, 'processing')))
    .returning();
  return image;
}

/**
 * Marks an event's images deleted: those named, and those uploaded for the
 * event, of its organisation only. They stop being served at once; the worker's
 * sweep removes their files. Returns how many were marked.
 */
export async function markEventImagesDeleted(tx: DbExecutor, event: { eventId: string; organizationId: string; imageIds: readonly string[] }): Promise<number> {
  const named = event.imageIds.length > 0 ? inArray(images.id, [...event.imageIds]) : undefined;
  const rows = await tx
    .update(images)
    .set({ status: 'deleted', version: sql`${images.version} + 1`, deletedAt: sql`now()` })
    .where(and(eq(images.organizationId, event.organizationId), ne(images.status, 'deleted'), named ? or(named, eq(images.eventId, event.eventId)) : eq(images.eventId, event.eventId)))
    .returning({ id: images.id });
  return rows.length;
}

/** Deleted images whose files are still to be removed, with their variant names. */
export async function imagesToPurge(db: DbExecutor, limit: number): Promise<Array<{ id: string; variantNames: string[] }>> {
  const rows = await db.select({ id: images.id }).from(images).where(eq(images.status, 'deleted')).orderBy(asc(images.createdAt)).limit(limit);
  if (rows.length === 0) return [];
  const names = await db.select({ imageId: variants.imageId, name: variants.name }).from(variants).where(inArray(variants.imageId, rows.map((r) => r.id)));
  return rows.map(({ id }) => ({ id, variantNames: names.filter((n) => n.imageId === id).map((n) => n.name) }));
}

/** Removes deleted images' rows (their variants go with them), once their files are gone. */
export async function deleteImageRows(db: DbExecutor, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.delete(images).where(and(inArray(images.id, ids), eq(images.status, 'deleted')));
}

/** Images still processing after `olderThanMs`: their job may have been lost (Redis keeps nothing on disk). */
export async function processingSince(db: DbExecutor, olderThanMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: images.id })
    .from(images)
    .where(and(eq(images.status, 'processing'), lt(images.createdAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
    .orderBy(asc(images.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}
