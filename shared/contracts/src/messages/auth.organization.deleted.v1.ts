import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/** An organiser team was deleted (its members' removals precede this). Subject: the organisation id. */
export const organizationDeletedV1 = defineMessage({
  type: 'auth.organization.deleted.v1',
  data: z.object({ organizationId: z.uuid() }),
  fixture: { organizationId: '3f6a2b1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c' },
  personalData: [],
});
