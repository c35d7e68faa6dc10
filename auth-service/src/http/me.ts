import type { RequestHandler } from 'express';
import { z } from 'zod';
import { organizationRoles, platformRoles } from '@twenny/identity';

/** What GET /api/me answers: the caller as every service sees them (the verified claims). */
export const meResponseSchema = z
  .object({
    userId: z.string().meta({ description: 'The `sub` claim.' }),
    email: z.string(),
    role: z.enum(platformRoles).meta({ description: 'Platform role.' }),
    orgs: z.array(z.object({ id: z.string(), role: z.enum(organizationRoles) })).meta({ description: 'Organiser teams the caller belongs to.' }),
    tokenExpiresAt: z.iso.datetime().meta({ description: 'When the identity token this answer was read from expires.' }),
  })
  .meta({ id: 'Me' });

export const me: RequestHandler = (req, res) => {
  const identity = req.identity!;
  const body: z.input<typeof meResponseSchema> = {
    userId: identity.userId,
    email: identity.email,
    role: identity.role,
    orgs: identity.orgs,
    tokenExpiresAt: new Date(identity.expiresAt).toISOString(),
  };
  res.set('cache-control', 'no-store').json(body);
};
