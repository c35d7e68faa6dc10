import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { identityClaimsSchema, type Identity } from './claims.ts';

export interface IdentityVerifierOptions {
  /** auth-service's key set, e.g. http://auth-service:4001/api/auth/jwks. */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Key source override (tests use a local key set). */
  keys?: JWTVerifyGetKey;
}

export interface IdentityVerifier {
  /** The identity a token proves, or an `InvalidTokenError` saying why it proves none. */
  verify(token: string): Promise<Identity>;
}

/** Why a token was refused; safe to show the caller (it names no key material). */
export class InvalidTokenError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'InvalidTokenError';
  }
}

/** The key set could not be fetched: the caller is not at fault (503, not 401). */
export class KeySetUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The identity key set cannot be fetched right now.', options);
    this.name = 'KeySetUnavailableError';
  }
}

// Longer than any real token; a bigger one is refused before any parsing.
const maxTokenLength = 8_192;

/**
 * Verifies identity tokens against auth-service's JWKS: signature, issuer,
 * audience, expiry, then the claims' shape. Keys are cached; an unknown key id
 * refetches the set (at most every 30 s), which is how rotation reaches services.
 */
export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: 2_000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  return {
    async verify(token) {
      if (token.length > maxTokenLength) throw new InvalidTokenError('The token is too long.');
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'PS256'],
          requiredClaims: ['exp', 'sub'],
          clockTolerance: 5,
        }));
      } catch (error) {
        throw classify(error);
      }
      const claims = identityClaimsSchema.safeParse(payload);
      if (!claims.success) throw new InvalidTokenError('The token does not carry the identity claims twenny issues.');
      return {
        userId: claims.data.sub,
        email: claims.data.email,
        role: claims.data.role,
        orgs: claims.data.orgs,
        token,
        expiresAt: (payload.exp as number) * 1000,
      };
    },
  };
}

function classify(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('The token has expired.', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return new InvalidTokenError(`The token's ${error.claim} claim is not accepted here.`, { cause: error });
  if (error instanceof errors.JWKSTimeout || (error instanceof Error && /fetch failed|ECONNREFUSED|Expected 200 OK/.test(error.message))) {
    return new KeySetUnavailableError({ cause: error });
  }
  if (error instanceof errors.JOSEError) return new InvalidTokenError('The token is not valid.', { cause: error });
  return new KeySetUnavailableError({ cause: error });
}
