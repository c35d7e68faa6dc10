import type { Envelope, MessageData, imageProcessedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import type { Logger } from '@twenny/logger';
import { lockEvent, ticketTypesOf, touchEvent } from '../db/event-store.ts';
import { publishEventChange } from './event-messages.ts';

/**
 * Makes a processed image the cover of the event it was uploaded for — only an
 * event of the organisation that uploaded it: an image naming someone else's
 * event is ignored (and logged), never attached.
 */
export async function attachCoverImage(tx: DbExecutor, message: Envelope<MessageData<typeof imageProcessedV1>>, logger: Logger): Promise<void> {
  const { imageId, organizationId, eventId, alt, width, height, variants, placeholder, dominantColor } = message.data;
  if (!eventId) return;
  const event = await lockEvent(tx, eventId);
  if (!event || event.organizationId !== organizationId) {
    logger.warn({ imageId, eventId }, 'processed image names no event of its organisation; not attached');
    return;
  }
  const updated = await touchEvent(tx, eventId, { coverImage: { imageId, alt, width, height, variants, ...(placeholder && { placeholder }), ...(dominantColor && { dominantColor }) } });
  await publishEventChange(tx, eventId, 'updated', { event: updated, types: await ticketTypesOf(tx, eventId) });
}
