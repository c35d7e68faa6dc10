/**
 * Generated from the route table: every entry, every kind of caller. A route
 * added to the table is covered here without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examinesCredentials } from '../src/identity/resolve-identity.ts';
import { routeTable, type RouteEntry } from '../src/routes/route-table.ts';
import { upstreamNames, type UpstreamName } from '../src/upstreams.ts';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { identityFixture, type IdentityFixture } from './support/identity-fixture.ts';
import { exampleMethod, exampleOf, routeName } from './support/route-examples.ts';
import { startStub, type RecordedRequest, type StubUpstream } from './support/stub-upstream.ts';

let stubs: Record<UpstreamName, StubUpstream>;
let identity: IdentityFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  stubs = Object.fromEntries(await Promise.all(upstreamNames.map(async (name) => [name, await startStub()] as const))) as Record<UpstreamName, StubUpstream>;
  identity = await identityFixture(stubs.auth);
  gateway = await startGateway({
    AUTH_SERVICE_URL: stubs.auth.url,
    CATALOG_SERVICE_URL: stubs.catalog.url,
    ORDER_SERVICE_URL: stubs.order.url,
    MEDIA_SERVICE_URL: stubs.media.url,
    AUTH_JWKS_URL: identity.jwksUrl,
    RATE_LIMIT_PER_ADDRESS: '100000',
    RATE_LIMIT_PER_USER: '100000',
    RATE_LIMIT_SIGN_IN_PER_ADDRESS: '100000',
    RATE_LIMIT_HOLDS_PER_ADDRESS: '100000',
    RATE_LIMIT_HOLDS_PER_USER: '100000',
    RATE_LIMIT_UPLOADS_PER_ADDRESS: '100000',
    RATE_LIMIT_UPLOADS_PER_USER: '100000',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await identity?.close();
  await Promise.all(Object.values(stubs ?? {}).map((stub) => stub.stop()));
});

// Sent with every request: none may reach a service.
const spoofed = { 'x-user-id': 'someone-else', 'x-twenny-role': 'admin', 'x-forwarded-user': 'root', 'x-authenticated-userid': 'root' };
// A cookie that is not the session: stripped on token routes, untouched on session routes.
const otherCookie = 'theme=dark';

async function send(entry: RouteEntry, headers: Record<string, string>) {
  const path = exampleOf(entry);
  const stub = stubs[entry.upstream];
  const before = stub.requestsTo(path).length;
  const response = await fetch(`${gateway.url}${path}`, { method: exampleMethod(entry), headers: { ...spoofed, ...headers } });
  const body = await response.text();
  const reached: RecordedRequest | undefined = stub.requestsTo(path)[before];
  if (reached) for (const name of Object.keys(spoofed)) expect(reached.headers[name], `${name} must not reach the service`).toBeUndefined();
  return { status: response.status, headers: response.headers, body, reached };
}

function expectRefused(result: Awaited<ReturnType<typeof send>>, status: number) {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(result.body)).toMatchObject({ status });
  expect(result.reached, 'the service must not be called').toBeUndefined();
}

describe.each(routeTable.map((entry) => [routeName(entry), entry] as const))('%s', (_, entry) => {
  const checked = examinesCredentials(entry);

  it(entry.policy === 'public' ? 'serves an anonymous caller' : 'refuses an anonymous caller with 401 without calling the service', async () => {
    const result = await send(entry, {});
    if (entry.policy === 'public') {
      expect(result.status).toBe(200);
      expect(result.reached?.headers.authorization).toBeUndefined();
    } else {
      expectRefused(result, 401);
      expect(result.headers.get('www-authenticate')).toBe('Bearer realm="twenny"');
    }
  });

  for (const [kind, pick] of [
    ['bearer token', (caller: { token: string }) => ({ authorization: `Bearer ${caller.token}`, cookie: otherCookie })],
    ['session cookie', (caller: { cookie: string }) => ({ cookie: `${otherCookie}; ${caller.cookie}` })],
  ] as const) {
    // A session of its own for each test: an entry such as sign-out ends the session it is sent.
    it(`${entry.policy === 'platform-admin' ? 'refuses a non-admin with 403' : 'serves a signed-in user'} (${kind})`, async () => {
      const user = await identity.newSession();
      const headers = pick(user);
      const result = await send(entry, headers);
      if (entry.policy === 'platform-admin') return expectRefused(result, 403);
      expect(result.status).toBe(200);
      expectForwarded(entry, result.reached!, headers, user.token);
    });

    it(`serves a platform admin (${kind})`, async () => {
      const admin = await identity.newSession({ role: 'admin' });
      const headers = pick(admin);
      const result = await send(entry, headers);
      expect(result.status).toBe(200);
      expectForwarded(entry, result.reached!, headers, admin.token);
    });
  }

  it.each(['forged', 'expired', 'wrongAudience', 'wrongIssuer'] as const)(
    checked ? 'refuses a %s token with 401 without calling the service' : 'passes a %s token to the service unexamined (the service checks its own credentials)',
    async (kind) => {
      const token = identity.bad[kind];
      const result = await send(entry, { authorization: `Bearer ${token}` });
      if (checked) {
        expectRefused(result, 401);
        expect(result.headers.get('www-authenticate')).toBe('Bearer realm="twenny", error="invalid_token"');
      } else {
        expect(result.status).toBe(200);
        expect(result.reached?.headers.authorization).toBe(`Bearer ${token}`);
      }
    },
  );

  it(entry.policy === 'public' ? 'treats a session auth-service refuses as anonymous' : 'refuses a session auth-service refuses with 401', async () => {
    const cookie = 'twenny.session_token=revoked-or-made-up.signature';
    const result = await send(entry, { cookie });
    if (entry.policy !== 'public') return expectRefused(result, 401);
    expect(result.status).toBe(200);
    expect(result.reached?.headers.authorization).toBeUndefined();
    expect(result.reached?.headers.cookie).toBe(entry.credentials === 'session' ? cookie : undefined);
  });
});

/** Token routes get the verified token and no cookie; session routes get the client's credentials untouched. */
function expectForwarded(entry: RouteEntry, reached: RecordedRequest, sent: Record<string, string>, token: string) {
  if (entry.credentials === 'token') {
    expect(reached.headers.authorization).toBe(`Bearer ${token}`);
    expect(reached.headers.cookie).toBeUndefined();
  } else {
    expect(reached.headers.cookie).toBe(sent.cookie);
    expect(reached.headers.authorization).toBe(sent.authorization);
  }
}
