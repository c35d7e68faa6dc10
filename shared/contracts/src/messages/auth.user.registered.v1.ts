import { z } from 'zod';
import { defineMessage } from '../define-message.ts';

/**
 * A person created an account (email + password or a social sign-in).
 * Subject: the user id. Written by a trigger on auth.user, in the sign-up's transaction.
 */
export const userRegisteredV1 = defineMessage({
  type: 'auth.user.registered.v1',
  data: z.object({
    userId: z.uuid(),
    registeredAt: z.iso.datetime({ offset: true }),
  }),
  fixture: { userId: '7e0c1f5a-6f1e-4c8e-9a57-0f3b1c2d4e5f', registeredAt: '2026-11-26T17:00:00.000Z' },
  personalData: [],
});
