import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * A draft was deleted (only drafts that never sold can be). The snapshot is its last state.
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 */
export const eventDeletedV1 = defineMessage({
  type: 'catalog.event.deleted.v1',
  data: catalogEventSnapshot,
  fixture: catalogEventFixture,
  personalData: [],
});
