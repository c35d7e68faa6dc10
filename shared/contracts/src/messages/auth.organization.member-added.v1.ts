import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/** Someone joined an organiser team (its creator, an accepted invitation, or added by an admin). Subject: the organisation id. */
export const memberAddedV1 = defineMessage({
  type: 'auth.organization.member-added.v1',
  data: z.object({
    organizationId: z.uuid(),
    userId: z.uuid(),
    role: z.enum(['owner', 'admin', 'member']),
  }),
  fixture: { organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c', userId: '7e0c1f5a-6f1e-4c8e-9a57-0f3b1c2d4e5f', role: 'admin' },
  personalData: [],
});
