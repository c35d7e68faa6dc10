import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/** An organiser team's name or slug changed (state transfer: both, as they are now). Subject: the organisation id. */
export const organizationUpdatedV1 = defineMessage({
  type: 'auth.organization.updated.v1',
  data: z.object({
    organizationId: z.uuid(),
    name: z.string().min(1).max(200),
    slug: z.string().min(1).max(200),
  }),
  fixture: { organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c', name: 'Demo Events Group', slug: 'demo-events' },
  personalData: [],
});
