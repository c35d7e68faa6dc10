import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * An event went on sale (published, or published again after being unpublished).
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 */
export const eventPublishedV1 = defineMessage({
  type: 'catalog.event.published.v1',
  data: catalogEventSnapshot,
  fixture: catalogEventFixture,
  personalData: [],
});
