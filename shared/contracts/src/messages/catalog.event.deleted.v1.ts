import { z } from 'zod';
import { defineMessage } from '../define-message.ts';
import { catalogEventFixture, catalogEventSnapshot } from '../catalog-event-snapshot.ts';

/**
 * A draft was deleted (only drafts that never sold can be). The snapshot is its last state.
 * Subject: the event id; version: the event's, +1 per change. Carries the whole
 * snapshot, so a consumer keeps the newest version and ignores older ones.
 * `imageIds` (added in 1.1) names the event's images, for media-service to delete.
 */
export const eventDeletedV1 = defineMessage({
  type: 'catalog.event.deleted.v1',
  data: catalogEventSnapshot.extend({ imageIds: z.array(z.uuid()).max(100).optional() }),
  fixture: { ...catalogEventFixture, status: 'draft', imageIds: ['9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'] },
  personalData: [],
});
