import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export interface TestClaims {
  sub?: string;
  email?: string;
  role?: string;
  orgs?: { id: string; role: string }[];
  [claim: string]: unknown;
}

export interface TestIssuer {
  issuer: string;
  audience: string;
  /** The public key set, as auth-service's /api/auth/jwks would serve it. */
  jwks: JSONWebKeySet;
  keys: JWTVerifyGetKey;
  /** A token signed with this issuer's key; `options` can break it on purpose. */
  sign(claims?: TestClaims, options?: { expiresIn?: string | number; issuer?: string; audience?: string; kid?: string }): Promise<string>;
  /** Serves the key set over HTTP until `close()`. */
  serve(): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * A stand-in for auth-service's token issuer (EdDSA, like Better-Auth's JWT
 * plugin), so a service's identity checks can be tested without auth-service.
 * Two issuers made with the same `kid` forge each other's tokens: that is the
 * "signed by another key" case.
 */
export async function createTestIssuer(options: { issuer?: string; audience?: string; kid?: string } = {}): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'http://localhost:3000';
  const audience = options.audience ?? 'twenny-api';
  const kid = options.kid ?? randomUUID();
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] };
  return {
    issuer,
    audience,
    jwks,
    keys: createLocalJWKSet(jwks),
    async sign(claims = {}, signOptions = {}) {
      const payload = { sub: randomUUID(), email: 'someone@example.com', role: 'user', orgs: [], ...claims };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid: signOptions.kid ?? kid })
        .setIssuedAt()
        .setIssuer(signOptions.issuer ?? issuer)
        .setAudience(signOptions.audience ?? audience)
        .setExpirationTime(signOptions.expiresIn ?? '5m')
        .sign(privateKey);
    },
    async serve() {
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}/jwks`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  };
}
