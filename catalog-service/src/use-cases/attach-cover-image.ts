import { and, eq, sql } from 'drizzle-orm';
import type { Envelope, MessageData, imageProcessedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import type { Logger } from '@twenny/logger';
import { events } from '../db/schema.ts';
import { publishEventChange } from './event-messages.ts';

/**
 * Makes a processed image the cover of the event it was uploaded for — only an
 * event of the organisation that uploaded it: an image naming someone else's
 * event is ignored (and logged), never attached.
 */
export async function attachCoverImage(tx: DbExecutor, message: Envelope<MessageData<typeof imageProcessedV1>>, logger: Logger): Promise<void> {
  const { imageId, organizationId, eventId, alt, width, height, variants } = message.data;
  if (!eventId) return;
  const [updated] = await tx
    .update(events)
    .set({ coverImage: { imageId, alt, width, height, variants }, version: sql`${events.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(events.id, eventId), eq(events.organizationId, organizationId)))
    .returning({ id: events.id });
  if (!updated) {
    logger.warn({ imageId, eventId }, 'processed image names no event of its organisation; not attached');
    return;
  }
  await publishEventChange(tx, eventId, 'updated');
}
