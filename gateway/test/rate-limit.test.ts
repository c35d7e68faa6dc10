import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressBucket } from '@twenny/http-kit';
import { infrastructure, TcpProxy, waitFor } from '@twenny/testing';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { identityFixture, type IdentityFixture } from './support/identity-fixture.ts';
import { startStub, type StubUpstream } from './support/stub-upstream.ts';

let auth: StubUpstream;
let identity: IdentityFixture;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  auth = await startStub();
  identity = await identityFixture(auth);
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await identity?.close();
  await auth?.stop();
});

async function gatewayWith(env: Record<string, string>) {
  const gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl, ...env });
  gateways.push(gateway);
  return gateway;
}

const get = (gateway: RunningGateway, path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });

describe('the client address', () => {
  it('comes from X-Forwarded-For only when the hop sending it is trusted', async () => {
    const untrusting = await gatewayWith({ TRUSTED_PROXIES: '10.0.0.0/8', RATE_LIMIT_PER_ADDRESS: '3' });
    // The test connects from 127.0.0.1, which this gateway does not trust: every spoofed address lands in one bucket.
    for (const spoofed of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect((await get(untrusting, '/api/auth/get-session', { 'x-forwarded-for': spoofed })).status).toBe(200);
      expect(auth.requests.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
    }
    expect((await get(untrusting, '/api/auth/get-session', { 'x-forwarded-for': '198.51.100.4' })).status).toBe(429);

    const trusting = await gatewayWith({ TRUSTED_PROXIES: 'loopback', RATE_LIMIT_PER_ADDRESS: '3' });
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      expect((await get(trusting, '/api/auth/get-session', { 'x-forwarded-for': address })).status).toBe(200);
      expect(auth.requests.at(-1)!.headers['x-forwarded-for']).toBe(address);
    }
  });

  it('is the nearest untrusted hop of a chain, and the service is told that one address', async () => {
    const gateway = await gatewayWith({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8', RATE_LIMIT_PER_ADDRESS: '2' });
    const chain = { 'x-forwarded-for': '192.0.2.99, 203.0.113.5, 10.1.2.3' };
    expect((await get(gateway, '/api/auth/get-session', chain)).status).toBe(200);
    expect(auth.requests.at(-1)!.headers['x-forwarded-for']).toBe('203.0.113.5');
    expect((await get(gateway, '/api/auth/get-session', { 'x-forwarded-for': '203.0.113.5' })).status).toBe(200);
    expect((await get(gateway, '/api/auth/get-session', { 'x-forwarded-for': '1.1.1.1, 203.0.113.5' })).status).toBe(429);
  });

  it('buckets IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(addressBucket('2001:db8:1:2::9'));
    expect(addressBucket('2001:db8:1:3::1')).not.toBe(addressBucket('2001:db8:1:2::1'));
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket('192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket(undefined)).toBe('unknown');
  });
});

describe('a spent bucket', () => {
  it('answers 429 problem+json with Retry-After and RateLimit headers, without calling the service', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_ADDRESS: '2', RATE_LIMIT_WINDOW_SECONDS: '30' });
    const first = await get(gateway, '/api/auth/get-session');
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=30');
    expect((await get(gateway, '/api/auth/get-session')).headers.get('ratelimit-remaining')).toBe('0');
    const before = auth.requests.length;
    const refused = await get(gateway, '/api/auth/get-session');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30).toBe(true);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter);
    expect(await refused.json()).toMatchObject({ type: 'https://twenny.dev/problems/rate-limited', status: 429 });
    expect(auth.requests.length).toBe(before);
  });

  it('per user follows the user across addresses, and leaves other users alone', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_ADDRESS: '100', RATE_LIMIT_PER_USER: '2' });
    const a = await identity.newSession();
    const b = await identity.newSession();
    expect((await get(gateway, '/api/me', { cookie: a.cookie, 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    expect((await get(gateway, '/api/me', { cookie: a.cookie, 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    const refused = await get(gateway, '/api/me', { authorization: `Bearer ${a.token}`, 'x-forwarded-for': '198.51.100.3' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect((await get(gateway, '/api/me', { cookie: b.cookie, 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
  });

  it('sign-in has its own, stricter class', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_PER_ADDRESS: '100', RATE_LIMIT_SIGN_IN_PER_ADDRESS: '2' });
    const signIn = () => fetch(`${gateway.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@example.com","password":"x"}' });
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(429);
    expect((await get(gateway, '/api/auth/get-session')).status).toBe(200);
  });
});

describe('several gateway replicas', () => {
  it('share one count per client through Redis: a replica refuses once the others have spent the bucket', async () => {
    const shared = { REDIS_PREFIX: `shared-${Date.now()}`, TRUSTED_PROXIES: 'loopback', RATE_LIMIT_PER_ADDRESS: '4' };
    const [a, b] = [await gatewayWith(shared), await gatewayWith(shared)];
    const client = { 'x-forwarded-for': '192.0.2.77' };
    for (let i = 0; i < 4; i++) expect((await get(a, '/api/auth/get-session', client)).status).toBe(200);
    // b learns a's count at its first sync for this client (within 100 ms); until then it counts alone.
    await waitFor('replica b to learn the shared count', async () => (await get(b, '/api/auth/get-session', client)).status === 429);
    expect((await get(a, '/api/auth/get-session', client)).status).toBe(429);
    // Another client is untouched on both.
    expect((await get(b, '/api/auth/get-session', { 'x-forwarded-for': '192.0.2.78' })).status).toBe(200);
  });

  it('share the sign-in count exactly, request by request', async () => {
    const shared = { REDIS_PREFIX: `shared-signin-${Date.now()}`, TRUSTED_PROXIES: 'loopback', RATE_LIMIT_SIGN_IN_PER_ADDRESS: '3' };
    const [a, b] = [await gatewayWith(shared), await gatewayWith(shared)];
    const signIn = (gateway: RunningGateway) =>
      fetch(`${gateway.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.99' }, body: '{}' });
    expect([(await signIn(a)).status, (await signIn(b)).status, (await signIn(a)).status, (await signIn(b)).status]).toEqual([200, 200, 200, 429]);
  });
});

describe('when Redis is unreachable', () => {
  it('fails open to in-memory limits (still enforced), logs it once, and returns to Redis', async () => {
    const { redisUrl } = await infrastructure();
    const proxy = TcpProxy.forUrl(redisUrl, 6379);
    await proxy.start();
    try {
      const gateway = await gatewayWith({ REDIS_URL: proxy.url(redisUrl), RATE_LIMIT_PER_ADDRESS: '3' });
      const redisState = async () => {
        const ready = await get(gateway, '/health/ready');
        // Ready either way: the gateway serves without Redis, so it never leaves the load balancer for it.
        expect(ready.status).toBe(200);
        return ((await ready.json()) as { checks: { redis: string } }).checks.redis;
      };
      await waitFor('Redis to connect', async () => (await redisState()) === 'up');
      expect((await get(gateway, '/api/auth/get-session', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);

      proxy.cut();
      await waitFor('readiness to see Redis gone', async () => (await redisState()) === 'down');
      const during = [];
      for (let i = 0; i < 4; i++) during.push((await get(gateway, '/api/auth/get-session', { 'x-forwarded-for': '198.51.100.2' })).status);
      expect(during).toEqual([200, 200, 200, 429]);
      // Sign-in (an exact class) asks Redis on the request itself, and fails over to memory at once.
      const signIn = await fetch(`${gateway.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' }, body: '{}' });
      expect(signIn.status).toBe(200);
      const degraded = () => gateway.logs.filter((line) => String(line.msg).startsWith('Redis cannot count rate limits'));
      await waitFor('the switch to memory to be logged', () => degraded().length > 0);
      expect(gateway.logs.some((line) => line.status === 500)).toBe(false);

      proxy.restore();
      await waitFor('Redis to reconnect', async () => (await redisState()) === 'up', { timeoutMs: 10_000 });
      expect((await get(gateway, '/api/auth/get-session', { 'x-forwarded-for': '198.51.100.3' })).status).toBe(200);
      await waitFor('the return to Redis to be logged', () => gateway.logs.some((line) => line.msg === 'rate limits are counted in Redis again'));
      // One line for the outage, however many requests and syncs failed during it.
      expect(degraded()).toHaveLength(1);
    } finally {
      await proxy.stop();
    }
  });
});
