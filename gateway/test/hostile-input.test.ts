import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './support/gateway-harness.ts';
import { identityFixture, type IdentityFixture } from './support/identity-fixture.ts';
import { rawRequest, type RawResponse } from './support/raw-request.ts';
import { startStub, type StubUpstream } from './support/stub-upstream.ts';

let auth: StubUpstream;
let identity: IdentityFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  auth = await startStub();
  identity = await identityFixture(auth);
  gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: identity.jwksUrl, RATE_LIMIT_PER_ADDRESS: '100000' });
});

afterAll(async () => {
  await gateway?.stop();
  await identity?.close();
  await auth?.stop();
});

/** A refusal as the gateway gives it: problem+json, the status in the body, no stack trace. */
function expectProblem(response: RawResponse, status: number, type?: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body);
  expect(body.status).toBe(status);
  if (type) expect(body.type).toBe(type);
  expect(response.body).not.toMatch(/\s+at .+:\d+:\d+/);
  expect(response.body).not.toMatch(/node_modules|\.ts\b/);
}

async function send(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const before = auth.requests.length;
  const response = await rawRequest(gateway.url, { method, path, headers });
  return { response, reachedService: auth.requests.length > before };
}

describe('paths', () => {
  it.each([
    '/api/%2e%2e/auth/admin/list-users',
    '/api/me/../auth/get-session',
    '/api/auth/../me',
    '/api/auth/./admin/list-users',
    '/api/auth/%2e%2e/me',
    '/api/auth/%61dmin/list-users',
    '/api/auth/admin%2flist-users',
    '/api/auth/admin%5Clist-users',
    '/api//me',
    '/api/auth//admin/list-users',
    '/api/auth/admin;jsessionid=1/list-users',
    '/api/me%00',
    '/api/auth/%zz',
    '/api/auth/get-session#/../../admin/list-users',
  ])('%s is refused with 400 and never forwarded', async (path) => {
    const { response, reachedService } = await send(path, { authorization: `Bearer ${identity.admin.token}` });
    expectProblem(response, 400, 'https://twenny.dev/problems/malformed-request');
    expect(reachedService).toBe(false);
  });

  it.each(['/api/tickets-for-free', '/api', '/api/', '/api/auth', '/', '/internal/metrics', `/api/${'x'.repeat(8000)}`])('%s (not in the route table) is a 404 from the gateway', async (path) => {
    const { response, reachedService } = await send(path, { authorization: `Bearer ${identity.admin.token}` });
    expectProblem(response, 404, 'https://twenny.dev/problems/not-found');
    expect(reachedService).toBe(false);
  });

  it('in other letter cases gets the policy of the route it spells', async () => {
    const { response, reachedService } = await send('/API/Auth/ADMIN/list-users', { authorization: `Bearer ${identity.user.token}` });
    expectProblem(response, 403);
    expect(reachedService).toBe(false);
  });

  it('in absolute form is routed (and forwarded) by its path', async () => {
    const { response, reachedService } = await send(`http://evil.example/api/me?x=1`, { authorization: `Bearer ${identity.user.token}` });
    expect(response.status).toBe(200);
    expect(reachedService).toBe(true);
    expect(auth.requests.at(-1)!.url).toBe('/api/me?x=1');
  });

  it('with a method the route does not take is a 405 naming the ones it does', async () => {
    const { response, reachedService } = await send('/api/me', {}, 'DELETE');
    expectProblem(response, 405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(reachedService).toBe(false);
  });
});

describe('Authorization headers', () => {
  it.each([
    ['Basic dXNlcjpwYXNz', 'invalid_request'],
    ['Bearer', 'invalid_request'],
    ['Bearer ', 'invalid_request'],
    ['bearer abc', 'invalid_request'],
    ['Bearer a b', 'invalid_request'],
    ['Bearer not-a-jwt', 'invalid_token'],
    ['Bearer a.b.c', 'invalid_token'],
    ['Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.', 'invalid_token'],
    [`Bearer ${'a'.repeat(9000)}`, 'invalid_token'],
  ])('%s → 401 (%s), never forwarded', async (authorization, error) => {
    const { response, reachedService } = await send('/api/me', { authorization });
    expectProblem(response, 401, 'https://twenny.dev/problems/unauthorized');
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="twenny", error="${error}"`);
    expect(reachedService).toBe(false);
  });
});

describe('cookies', () => {
  it.each([
    'twenny.session_token=',
    'twenny.session_token="unterminated',
    'twenny.session_token=has space',
    'twenny.session_token=semi\\colon,comma',
    ';;;=;=;twenny.session_token',
    `twenny.session_token=${'s'.repeat(5000)}`,
    '=twenny.session_token=abc',
  ])('%s is no session: 401, auth-service not asked', async (cookie) => {
    const before = identity.exchanges();
    const { response, reachedService } = await send('/api/me', { cookie });
    expectProblem(response, 401);
    expect(reachedService).toBe(false);
    expect(identity.exchanges()).toBe(before);
  });

  it('a huge cookie header of other cookies does not hide the session', async () => {
    const padding = Array.from({ length: 200 }, (_, i) => `c${i}=${'v'.repeat(40)}`).join('; ');
    const { response } = await send('/api/me', { cookie: `${padding}; ${identity.user.cookie}` });
    expect(response.status).toBe(200);
  });
});

describe('headers', () => {
  it('larger than Node accepts are refused (431) and the gateway keeps serving', async () => {
    const { response } = await send('/api/me', { 'x-filler': 'f'.repeat(20_000) });
    expect(response.status).toBe(431);
    const { response: next } = await send('/api/me', { authorization: `Bearer ${identity.user.token}` });
    expect(next.status).toBe(200);
  });

  it('a request id that does not look like one is replaced, not forwarded', async () => {
    const { response } = await send('/api/auth/get-session', { 'x-request-id': 'bad id <script>' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(auth.requests.at(-1)!.headers['x-request-id']).toBe(response.headers['x-request-id']);
  });
});
