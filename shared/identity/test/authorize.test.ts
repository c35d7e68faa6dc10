import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer, type RunningServer } from '@twenny/http-kit';
import { createLifecycle } from '@twenny/lifecycle';
import { createLogger } from '@twenny/logger';
import { createTestIssuer, type TestIssuer } from '@twenny/testing';
import { authorize, createIdentityVerifier, organizationRole, routePolicies } from '../src/index.ts';

let issuer: TestIssuer;
let server: RunningServer;
const logger = createLogger({ service: 'test', level: 'silent' });
const lifecycle = createLifecycle({ logger, timeoutMs: 2_000 });

beforeAll(async () => {
  issuer = await createTestIssuer();
  const verifier = createIdentityVerifier({ jwksUrl: 'http://unused.invalid/jwks', issuer: issuer.issuer, audience: issuer.audience, keys: issuer.keys });
  const app = createHttpApp({
    logger,
    lifecycle,
    routes: (app: express.Express) => {
      for (const policy of routePolicies) {
        app.get(`/${policy}`, authorize(verifier, policy), (req, res) => {
          res.json({ identity: req.identity ? { userId: req.identity.userId, role: req.identity.role, orgs: req.identity.orgs } : null });
        });
      }
    },
  });
  server = await startHttpServer(app, { port: 0, host: '127.0.0.1', lifecycle, logger });
});

afterAll(async () => {
  await lifecycle.stop('test over');
});

const call = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authorize', () => {
  it('lets anyone call a public route, and tells it who called when a valid token came', async () => {
    expect(await (await call('/public')).json()).toEqual({ identity: null });
    const token = await issuer.sign({ sub: 'u1', role: 'user', orgs: [{ id: 'o1', role: 'owner' }] });
    expect(await (await call('/public', bearer(token))).json()).toEqual({ identity: { userId: 'u1', role: 'user', orgs: [{ id: 'o1', role: 'owner' }] } });
  });

  it('refuses anonymous callers on signed-in and admin routes with 401 and WWW-Authenticate', async () => {
    for (const path of ['/signed-in', '/platform-admin']) {
      const response = await call(path);
      expect(response.status).toBe(401);
      // No credentials at all: a challenge without an error code (RFC 6750 §3.1), as the gateway sends.
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="twenny"');
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('gives non-admins 403 on admin routes and admins 200', async () => {
    expect((await call('/platform-admin', bearer(await issuer.sign({ role: 'user' })))).status).toBe(403);
    expect((await call('/platform-admin', bearer(await issuer.sign({ role: 'admin' })))).status).toBe(200);
  });

  it('never reads identity from headers other than a verified bearer token', async () => {
    const response = await call('/signed-in', { 'x-user-id': 'u1', 'x-user-role': 'admin', 'x-identity': '{"sub":"u1"}' });
    expect(response.status).toBe(401);
  });

  it.each([
    ['forged: another key under the same key id', async (i: TestIssuer) => (await createTestIssuer({ kid: (await decodeKid(await i.sign())) })).sign({ role: 'admin' })],
    ['an unknown key id', async (i: TestIssuer) => i.sign({}, { kid: 'nope' })],
    ['expired', async (i: TestIssuer) => i.sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
    ['for another audience', async (i: TestIssuer) => i.sign({}, { audience: 'other-api' })],
    ['from another issuer', async (i: TestIssuer) => i.sign({}, { issuer: 'https://evil.example' })],
    ['missing the identity claims', async (i: TestIssuer) => i.sign({ role: 'root', orgs: [{ id: 'o', role: 'god' }] })],
    ['not a token at all', async () => 'garbage.garbage.garbage'],
  ])('refuses a token %s, even on public routes', async (_case, make) => {
    const token = await make(issuer);
    for (const path of ['/public', '/signed-in']) {
      const response = await call(path, bearer(token));
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { detail?: string }).detail).toBeTruthy();
    }
  });

  it('refuses Authorization headers that are not a bearer token', async () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(10_000)}`]) {
      expect((await call('/signed-in', { authorization: value })).status, value.slice(0, 20)).toBe(401);
    }
  });
});

describe('organizationRole', () => {
  it('is the role in that organisation, or undefined', () => {
    const identity = { userId: 'u', email: 'e@x.y', role: 'user' as const, orgs: [{ id: 'o1', role: 'admin' as const }], token: '', expiresAt: 0 };
    expect(organizationRole(identity, 'o1')).toBe('admin');
    expect(organizationRole(identity, 'o2')).toBeUndefined();
  });
});

async function decodeKid(token: string): Promise<string> {
  const { decodeProtectedHeader } = await import('jose');
  return decodeProtectedHeader(token).kid!;
}
