import type { Envelope, MessageData, eventDeletedV1 } from '@twenny/contracts';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { markEventImagesDeleted } from '../db/image-store.ts';

/**
 * catalog deleted an event: its images (those the message names, and those
 * uploaded for it) stop being served now, in the inbox's transaction; the
 * worker's sweep removes their originals and variants. Only images of the
 * event's own organisation are touched.
 */
export async function deleteEventImages(tx: DbExecutor, message: Envelope<MessageData<typeof eventDeletedV1>>, logger: Logger): Promise<void> {
  const { eventId, organizationId, imageIds = [] } = message.data;
  const deleted = await markEventImagesDeleted(tx, { eventId, organizationId, imageIds });
  if (deleted > 0) logger.info({ eventId, images: deleted }, 'event deleted: its images will be removed');
}
