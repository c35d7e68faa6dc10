import { z } from 'zod';

/** Platform roles (Better-Auth admin plugin): `admin` runs the platform, everyone else is `user`. */
export const platformRoles = ['user', 'admin'] as const;
export type PlatformRole = (typeof platformRoles)[number];

/** Roles inside an organiser team (Better-Auth organization plugin). */
export const organizationRoles = ['owner', 'admin', 'member'] as const;
export type OrganizationRole = (typeof organizationRoles)[number];

/**
 * The claims auth-service puts in every identity token (design brief, "Identity
 * and origins"). Services read these and nothing else about the caller.
 */
export const identityClaimsSchema = z.object({
  sub: z.string().min(1).max(128),
  email: z.string().min(3).max(320),
  role: z.enum(platformRoles),
  orgs: z
    .array(z.object({ id: z.string().min(1).max(128), role: z.enum(organizationRoles) }))
    .max(500),
});
export type IdentityClaims = z.output<typeof identityClaimsSchema>;

/** The verified caller, as a route handler sees it. */
export interface Identity {
  userId: string;
  email: string;
  role: PlatformRole;
  orgs: IdentityClaims['orgs'];
  /** The verified token, for calls this service makes on the caller's behalf. */
  token: string;
  /** When the token stops being valid (epoch ms). */
  expiresAt: number;
}

/** The caller's role in an organisation, or undefined when they are not a member. */
export function organizationRole(identity: Identity, organizationId: string): OrganizationRole | undefined {
  return identity.orgs.find((org) => org.id === organizationId)?.role;
}
