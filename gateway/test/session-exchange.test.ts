import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { identityFixture, type IdentityFixture } from './support/identity-fixture.ts';
import { startStub, type StubUpstream } from './support/stub-upstream.ts';

let auth: StubUpstream;
let identity: IdentityFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  auth = await startStub();
  identity = await identityFixture(auth);
  gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl });
});

afterAll(async () => {
  await gateway?.stop();
  await identity?.close();
  await auth?.stop();
});

beforeEach(() => identity.breakExchanges(undefined));

const me = (cookie: string, url = gateway.url) => fetch(`${url}/api/me`, { headers: { cookie } });

describe('a session cookie', () => {
  it('is exchanged once, then served from the cache', async () => {
    const caller = await identity.newSession();
    const before = identity.exchanges();
    expect((await me(caller.cookie)).status).toBe(200);
    expect((await me(caller.cookie)).status).toBe(200);
    expect((await me(`other=1; ${caller.cookie}; more=2`)).status).toBe(200);
    expect(identity.exchanges() - before).toBe(1);
    // What the service received: the session's own token, no cookie.
    const last = auth.requestsTo('/api/me').at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${caller.token}`);
    expect(last.headers.cookie).toBeUndefined();
  });

  it('is exchanged once for many concurrent first requests', async () => {
    const caller = await identity.newSession();
    const before = identity.exchanges();
    const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await me(caller.cookie)).status));
    expect(statuses).toEqual(Array(8).fill(200));
    expect(identity.exchanges() - before).toBe(1);
  });

  it('is sent to auth-service alone, with the caller\'s address and request id', async () => {
    const caller = await identity.newSession();
    await fetch(`${gateway.url}/api/me`, { headers: { cookie: `theme=dark; ${caller.cookie}`, 'x-request-id': 'exchange-test-0001' } });
    const exchange = auth.requestsTo('/api/auth/token').at(-1)!;
    expect(exchange.headers.cookie).toBe(caller.cookie);
    expect(exchange.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(exchange.headers['x-request-id']).toBe('exchange-test-0001');
  });

  it('is forgotten when the caller signs out through the gateway', async () => {
    const caller = await identity.newSession();
    expect((await me(caller.cookie)).status).toBe(200);
    const signOut = await fetch(`${gateway.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: caller.cookie } });
    expect(signOut.status).toBe(200);
    const before = identity.exchanges();
    const after = await me(caller.cookie);
    expect(identity.exchanges() - before).toBe(1);
    expect(after.status).toBe(401);
  });

  it('is forgotten by every replica when the caller signs out through one of them', async () => {
    const prefix = `replicas-${Date.now()}`;
    const other = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl, REDIS_PREFIX: prefix });
    const signingOut = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl, REDIS_PREFIX: prefix });
    try {
      const caller = await identity.newSession();
      // Both replicas hold the session's token.
      expect((await me(caller.cookie, other.url)).status).toBe(200);
      expect((await me(caller.cookie, signingOut.url)).status).toBe(200);
      expect((await fetch(`${signingOut.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: caller.cookie } })).status).toBe(200);
      // The other replica asks auth-service again (which refuses the ended session) instead of serving its cache for a minute.
      await waitFor('the other replica to forget the session', async () => (await me(caller.cookie, other.url)).status === 401, { timeoutMs: 2_000 });
    } finally {
      await other.stop();
      await signingOut.stop();
    }
  });

  it('signed out while its first exchange is in flight is not cached from that exchange', async () => {
    const caller = await identity.newSession();
    identity.delayExchanges(300);
    const first = me(caller.cookie);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await fetch(`${gateway.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie: caller.cookie } })).status).toBe(200);
    await first;
    identity.delayExchanges(0);
    // Whatever the in-flight exchange answered, it must not be reused now.
    expect((await me(caller.cookie)).status).toBe(401);
  });

  it('revoked elsewhere keeps working from the cache until SESSION_TOKEN_CACHE_TTL_MS (the documented revocation delay)', async () => {
    const caller = await identity.newSession();
    expect((await me(caller.cookie)).status).toBe(200);
    identity.revoke(caller);
    expect((await me(caller.cookie)).status).toBe(200);
  });

  it('revoked elsewhere is refused at once with SESSION_TOKEN_CACHE_TTL_MS=0', async () => {
    const uncached = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl, SESSION_TOKEN_CACHE_TTL_MS: '0' });
    try {
      const caller = await identity.newSession();
      expect((await me(caller.cookie, uncached.url)).status).toBe(200);
      identity.revoke(caller);
      expect((await me(caller.cookie, uncached.url)).status).toBe(401);
    } finally {
      await uncached.stop();
    }
  });

  it('named with the __Secure- prefix (https) works, and wins over the plain one', async () => {
    const user = await identity.newSession();
    const admin = await identity.newSession({ role: 'admin' });
    const secureValue = admin.cookie.split('=')[1];
    expect((await me(`__Secure-twenny.session_token=${secureValue}`)).status).toBe(200);
    expect((await me(`${user.cookie}; __Secure-twenny.session_token=${secureValue}`)).status).toBe(200);
    expect(auth.requestsTo('/api/me').at(-1)!.headers.authorization).toBe(`Bearer ${admin.token}`);
  });

  it('loses to a bearer token sent alongside it', async () => {
    const response = await fetch(`${gateway.url}/api/me`, { headers: { cookie: identity.admin.cookie, authorization: `Bearer ${identity.user.token}` } });
    expect(response.status).toBe(200);
    expect(auth.requestsTo('/api/me').at(-1)!.headers.authorization).toBe(`Bearer ${identity.user.token}`);
  });

  it('never appears in the gateway\'s logs, nor does a token', async () => {
    const caller = await identity.newSession();
    await me(caller.cookie);
    await fetch(`${gateway.url}/api/me`, { headers: { authorization: `Bearer ${identity.bad.forged}` } });
    const text = JSON.stringify(gateway.logs);
    expect(text).not.toContain(caller.cookie.split('=')[1]);
    expect(text).not.toContain(caller.token);
    expect(text).not.toContain(identity.bad.forged);
  });
});

describe('when identity cannot be established', () => {
  it.each([
    ['auth-service fails the exchange', { status: 500 }],
    ['auth-service answers something that is not a token', { body: '<html>oops</html>' }],
  ])('%s: 503 problem, the service is not called', async (_, failure) => {
    const caller = await identity.newSession();
    identity.breakExchanges(failure);
    const before = auth.requestsTo('/api/me').length;
    const response = await me(caller.cookie);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ type: 'https://twenny.dev/problems/unavailable', status: 503 });
    expect(auth.requestsTo('/api/me').length).toBe(before);
  });

  it('auth-service issues a token the gateway cannot verify: 503, and the log names the settings to check', async () => {
    const misissued = await identity.newSession({}, await identity.issuer.sign({}, { audience: 'not-this-gateway' }));
    const response = await me(misissued.cookie);
    expect(response.status).toBe(503);
    expect(gateway.logs.some((line) => line.level === 'error' && String(line.msg).includes('AUTH_JWT_AUDIENCE'))).toBe(true);
  });

  it('the key set cannot be fetched: 503 for a bearer token, not 401', async () => {
    const blind = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: 'http://127.0.0.1:1/jwks' });
    try {
      const response = await fetch(`${blind.url}/api/me`, { headers: { authorization: `Bearer ${identity.user.token}` } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 503, detail: expect.stringMatching(/try again/) });
    } finally {
      await blind.stop();
    }
  });
});
