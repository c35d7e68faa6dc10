export {
  identityClaimsSchema,
  organizationRole,
  organizationRoles,
  platformRoles,
  type Identity,
  type IdentityClaims,
  type OrganizationRole,
  type PlatformRole,
} from './claims.ts';
export {
  createIdentityVerifier,
  InvalidTokenError,
  KeySetUnavailableError,
  type IdentityVerifier,
  type IdentityVerifierOptions,
} from './verifier.ts';
export { authorize, routePolicies, type RoutePolicy } from './authorize.ts';
export { bearerToken, unauthorized } from './bearer.ts';
