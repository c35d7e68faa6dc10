import postgres from 'postgres';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFor, envelopeSchema, type Envelope } from '@twenny/contracts';
import { createTestIssuer } from '@twenny/testing';
import { authClient, uniqueEmail } from './support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from './support/auth-service.ts';

let auth: TestAuthService;
let sql: postgres.Sql;

beforeAll(async () => {
  auth = await startTestAuthService();
  sql = postgres(auth.database.adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await sql?.end();
  await auth?.stop();
});

async function signedUp(name = 'ann') {
  const client = authClient(auth.url);
  const email = uniqueEmail(name);
  const result = await client.api.signUp.email({ name, email, password: 'correct horse battery' });
  expect(result.error).toBeNull();
  return { ...client, email, userId: result.data!.user.id };
}

async function tokenOf(client: Awaited<ReturnType<typeof signedUp>>) {
  const token = await client.api.token();
  expect(token.error).toBeNull();
  return token.data!.token;
}

/** Outbox messages about `subject`, oldest first, each checked against its contract. */
async function messagesAbout(subject: string): Promise<Envelope[]> {
  const rows = await sql`select envelope from auth.outbox where envelope->>'subject' = ${subject} order by seq`;
  return rows.map((row) => {
    const envelope = envelopeSchema.parse(row.envelope);
    const contract = contractFor(envelope.type);
    expect(contract, envelope.type).toBeDefined();
    return { ...envelope, data: contract!.data.parse(envelope.data) };
  });
}

describe("Better-Auth's errors", () => {
  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${auth.url}/api/auth/${path}`, { method: 'POST', headers: { 'content-type': contentType, origin: 'http://localhost:3000' }, body });

  it('answer as problem details that keep its stable code and message', async () => {
    const { email } = await signedUp('wrong');
    const response = await post('sign-in/email', JSON.stringify({ email, password: 'not the password at all' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as { detail: string };
    expect(body).toMatchObject({ type: 'https://twenny.dev/problems/unauthorized', status: 401, code: 'INVALID_EMAIL_OR_PASSWORD' });
    expect(body.detail).toMatch(/invalid email or password/i);
  });

  it.each([
    ['malformed JSON', '{"name": "x", "email": '],
    ['JSON that is not an object', '[1, 2, 3]'],
    ['an email that is not one', JSON.stringify({ name: 'x', email: 'not-an-email', password: 'correct horse battery' })],
    ['a hostile name', JSON.stringify({ name: { $gt: '' }, email: uniqueEmail('hostile'), password: 'correct horse battery' })],
    ['an oversized password', JSON.stringify({ name: 'x', email: uniqueEmail('huge'), password: 'p'.repeat(100_000) })],
  ])('refuse %s with a 4xx problem that leaks nothing', async (_name, body) => {
    const response = await post('sign-up/email', body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await response.text();
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(JSON.parse(text)).toMatchObject({ status: response.status, detail: expect.any(String) });
  });
});

describe('sign-up', () => {
  it('sets an httpOnly, sameSite=lax session cookie and writes auth.user.registered.v1 with it', async () => {
    const client = authClient(auth.url);
    const email = uniqueEmail('cookie');
    const response = await client.jar.fetch(`${auth.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Cookie', email, password: 'correct horse battery' }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('twenny.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // served over http here; https base URLs get Secure cookies
    const { user } = (await response.json()) as { user: { id: string } };
    const messages = await messagesAbout(user.id);
    expect(messages.map((m) => [m.type, m.version])).toEqual([['auth.user.registered.v1', 1]]);
  });

  it('refuses a duplicate address without writing a second message', async () => {
    const first = await signedUp('dup');
    const again = await authClient(auth.url).api.signUp.email({ name: 'dup', email: first.email, password: 'another good password' });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');
    const rows = await sql<{ count: number }[]>`select count(*)::int as count from auth.outbox where type = 'auth.user.registered.v1' and envelope->'data'->>'userId' = ${first.userId}`;
    expect(rows[0]?.count).toBe(1);
  });

  it('refuses a short password with a message saying so', async () => {
    const result = await authClient(auth.url).api.signUp.email({ name: 'short', email: uniqueEmail('short'), password: 'short' });
    expect(result.error?.status).toBe(400);
    expect(result.error?.message).toMatch(/password/i);
  });
});

describe('identity tokens', () => {
  it('carry sub, email, role and orgs, the configured issuer and audience, and a key id the key set publishes', async () => {
    const client = await signedUp('claims');
    const token = await tokenOf(client);
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: client.userId, email: client.email, role: 'user', orgs: [], iss: 'http://localhost:3000', aud: 'twenny-api' });
    expect(claims.exp! - claims.iat!).toBe(300);
    const jwks = (await (await fetch(`${auth.url}/api/auth/jwks`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(token).kid);
    // The payload is only the claims: no profile fields leak into every request.
    expect(Object.keys(claims).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'orgs', 'role', 'sub']);
  });

  it('rotate: once the signing key expires a new one signs, and tokens from the old one still verify', async () => {
    const client = await signedUp('rotation');
    const before = await tokenOf(client);
    await sql`update auth.jwks set expires_at = now() - interval '1 second'`;
    const after = await tokenOf(client);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    const jwks = (await (await fetch(`${auth.url}/api/auth/jwks`)).json()) as { keys: { kid: string }[] };
    const kids = jwks.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([decodeProtectedHeader(before).kid, decodeProtectedHeader(after).kid]));
    for (const token of [before, after]) {
      expect((await fetch(`${auth.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    }
  });
});

describe('GET /api/me on auth-service itself', () => {
  it('answers the verified claims to a bearer token', async () => {
    const client = await signedUp('me');
    const response = await fetch(`${auth.url}/api/me`, { headers: { authorization: `Bearer ${await tokenOf(client)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ userId: client.userId, email: client.email, role: 'user', orgs: [] });
  });

  it.each([
    ['no credentials', {}],
    ['a hand-made identity header', { 'x-user-id': '00000000-0000-4000-8000-000000000000', 'x-user-role': 'admin' }],
    ['a session cookie (only tokens count here)', { cookie: 'twenny.session_token=whatever' }],
    ['a malformed Authorization header', { authorization: 'Token abc' }],
    ['a token that is not a JWT', { authorization: 'Bearer not.a.jwt' }],
    ['an oversized token', { authorization: `Bearer ${'a'.repeat(9000)}` }],
  ])('refuses %s with 401 problem+json', async (_case, headers) => {
    const response = await fetch(`${auth.url}/api/me`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await response.json()) as { detail?: string };
    expect(body.detail).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('refuses a token signed by another key under the same key id, and tokens for another audience or issuer', async () => {
    const client = await signedUp('forged');
    const { kid } = decodeProtectedHeader(await tokenOf(client));
    const forger = await createTestIssuer({ kid });
    const claims = { sub: client.userId, email: client.email, role: 'admin', orgs: [] };
    const tokens = [
      await forger.sign(claims),
      await forger.sign(claims, { kid: 'unknown-key-id' }),
      await forger.sign(claims, { audience: 'someone-else' }),
      await forger.sign(claims, { issuer: 'https://evil.example' }),
    ];
    for (const token of tokens) {
      expect((await fetch(`${auth.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }
  });
});

describe('sign-out', () => {
  it('ends the session: the cookie is cleared and the session no longer yields a token', async () => {
    const client = await signedUp('bye');
    const cookie = client.jar.cookieHeader();
    const signOut = await client.api.signOut();
    expect(signOut.error).toBeNull();
    expect(client.jar.cookies.has('twenny.session_token')).toBe(false);
    const replay = await fetch(`${auth.url}/api/auth/token`, { headers: { cookie, origin: 'http://localhost:3000' } });
    expect(replay.status).toBe(401);
  });
});
