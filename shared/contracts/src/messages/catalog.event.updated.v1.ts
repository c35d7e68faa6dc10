import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * An event that has been published at least once changed: its details, status or ticket types.
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 */
export const eventUpdatedV1 = defineMessage({
  type: 'catalog.event.updated.v1',
  data: catalogEventSnapshot,
  fixture: catalogEventFixture,
  personalData: [],
});
