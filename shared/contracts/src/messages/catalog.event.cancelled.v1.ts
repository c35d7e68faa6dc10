import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * An event was cancelled for good. Order-service refunds what was sold.
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 */
export const eventCancelledV1 = defineMessage({
  type: 'catalog.event.cancelled.v1',
  data: catalogEventSnapshot,
  fixture: catalogEventFixture,
  personalData: [],
});
