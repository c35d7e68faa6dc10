import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * An event was taken off sale: hidden from listings, no new holds; holds and orders already made stay valid.
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 */
export const eventUnpublishedV1 = defineMessage({
  type: 'catalog.event.unpublished.v1',
  data: catalogEventSnapshot,
  fixture: catalogEventFixture,
  personalData: [],
});
