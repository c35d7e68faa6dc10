import { HttpProblem } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';

/** Images belong to an organisation: any of its members (owner, admin or member) may upload and see them. */
export function requireMember(identity: Identity, organizationId: string): void {
  if (!isMember(identity, organizationId)) throw HttpProblem.forbidden(`You are not a member of organisation ${organizationId}: only its members may upload or see its images.`);
}

export function isMember(identity: Identity, organizationId: string): boolean {
  return Boolean(organizationRole(identity, organizationId));
}
