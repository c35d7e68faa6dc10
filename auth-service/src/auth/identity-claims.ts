import type { IdentityClaims, OrganizationRole, PlatformRole } from '@twenny/identity';

/**
 * Better-Auth stores roles as comma-separated lists ("admin,user"); a token
 * carries one role per scope, the strongest held.
 */
function strongest<R extends string>(stored: string | null | undefined, ranking: readonly R[], fallback: R): R {
  const held = new Set((stored ?? '').split(',').map((role) => role.trim()));
  return ranking.find((role) => held.has(role)) ?? fallback;
}

export function platformRoleOf(stored: string | null | undefined): PlatformRole {
  return strongest(stored, ['admin', 'user'] as const, 'user');
}

export function organizationRoleOf(stored: string | null | undefined): OrganizationRole {
  return strongest(stored, ['owner', 'admin', 'member'] as const, 'member');
}

/** The token's claims (less `sub`, which the JWT plugin sets) from a user and their memberships. */
export function identityClaimsOf(
  user: { email: string; role?: string | null },
  memberships: { organizationId: string; role: string }[],
): Omit<IdentityClaims, 'sub'> {
  return {
    email: user.email,
    role: platformRoleOf(user.role),
    orgs: memberships.map((m) => ({ id: m.organizationId, role: organizationRoleOf(m.role) })),
  };
}
