import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * An organiser team was created. Subject: the organisation id; version 1.
 * Its creator's membership follows as auth.organization.member-added.v1.
 */
export const organizationCreatedV1 = defineMessage({
  type: 'auth.organization.created.v1',
  data: z.object({
    organizationId: z.uuid(),
    name: z.string().min(1).max(200),
    slug: z.string().min(1).max(200),
  }),
  fixture: { organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c', name: 'Demo Events Ltd', slug: 'demo-events' },
  personalData: [],
});
