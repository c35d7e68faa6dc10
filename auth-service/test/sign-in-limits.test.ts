import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authClient, siteOrigin, uniqueEmail } from './support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from './support/auth-service.ts';

let auth: TestAuthService;
// Long enough for 20 sequential failures (password hashing makes each ~100 ms) on a busy 2-core machine.
// Long enough for 20 password hashes on a busy 2-core machine (CI runs two test files at once).
const windowSeconds = 30;

beforeAll(async () => {
  // The test client connects over loopback; trusting only another address makes it an untrusted hop.
  auth = await startTestAuthService({ SIGN_IN_FAILURE_WINDOW_SECONDS: String(windowSeconds), SIGN_IN_MAX_FAILURES: '20', TRUSTED_PROXIES: '10.255.255.1' });
});

afterAll(async () => {
  await auth?.stop();
});

function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${auth.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: siteOrigin, ...headers },
    body: JSON.stringify({ email, password }),
  });
}

async function account() {
  const email = uniqueEmail('limited');
  const { api } = authClient(auth.url);
  expect((await api.signUp.email({ name: 'Limited', email, password: 'the right password' })).error).toBeNull();
  return email;
}

describe('failed sign-ins', { timeout: 120_000 }, () => {
  it('20 wrong passwords in a row, then 429 with Retry-After even for the right one, which works after the window', async () => {
    const email = await account();
    for (let attempt = 1; attempt <= 20; attempt++) {
      // A different spoofed address each time: from an untrusted hop it changes nothing.
      const response = await signIn(email, `wrong password ${attempt}`, { 'x-forwarded-for': `203.0.113.${attempt}` });
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await signIn(email, 'the right password', { 'x-forwarded-for': '198.51.100.7' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(((await blocked.json()) as { detail: string }).detail).toMatch(/try again in \d+ s/);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    expect((await signIn(email, 'the right password')).status).toBe(200);
  });

  it('a success resets the count for that account', async () => {
    const email = await account();
    for (let attempt = 1; attempt <= 19; attempt++) expect((await signIn(email, 'wrong')).status).toBe(401);
    expect((await signIn(email, 'the right password')).status).toBe(200);
    for (let attempt = 1; attempt <= 19; attempt++) expect((await signIn(email, 'wrong')).status).toBe(401);
    expect((await signIn(email, 'the right password')).status).toBe(200);
  });

  it('counts the account however its email is written: other casing, or a form-encoded body', async () => {
    const email = await account();
    for (let attempt = 1; attempt <= 10; attempt++) expect((await signIn(email.toUpperCase(), 'wrong')).status).toBe(401);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await fetch(`${auth.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: siteOrigin },
        body: new URLSearchParams({ email: email.replace(/^./, (c) => c.toUpperCase()), password: 'wrong' }),
      });
      expect(response.status).toBe(401);
    }
    expect((await signIn(email, 'the right password')).status).toBe(429);
  });
});

describe('failed sign-ins sent at once, or from around one IPv6 /64', () => {
  let trusting: TestAuthService;

  beforeAll(async () => {
    // Trusts the test's loopback hop, as it trusts the gateway: X-Forwarded-For names the client.
    trusting = await startTestAuthService({ SIGN_IN_FAILURE_WINDOW_SECONDS: '60', SIGN_IN_MAX_FAILURES: '5', TRUSTED_PROXIES: 'loopback' });
  });

  afterAll(async () => {
    await trusting?.stop();
  });

  const attempt = (email: string, password: string, from: string) =>
    fetch(`${trusting.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: siteOrigin, 'x-forwarded-for': from },
      body: JSON.stringify({ email, password }),
    });

  async function trustingAccount() {
    const email = uniqueEmail('parallel');
    expect((await authClient(trusting.url).api.signUp.email({ name: 'Parallel', email, password: 'the right password' })).error).toBeNull();
    return email;
  }

  it('counts attempts made at once before any of them fails: no more than the limit get through', async () => {
    const email = await trustingAccount();
    const statuses = (await Promise.all(Array.from({ length: 15 }, (_, i) => attempt(email, `wrong ${i}`, '192.0.2.10')))).map((r) => r.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  });

  it('counts every address of one IPv6 /64 as one client', async () => {
    const email = await trustingAccount();
    for (let i = 1; i <= 5; i++) expect((await attempt(email, 'wrong', `2001:db8:7:7::${i.toString(16)}`)).status).toBe(401);
    expect((await attempt(email, 'the right password', '2001:db8:7:7:ffff::9')).status).toBe(429);
    // Another /64 is another client.
    expect((await attempt(email, 'the right password', '2001:db8:7:8::1')).status).toBe(200);
  });
});

describe('malformed sign-in requests', () => {
  it.each([
    ['malformed JSON', { 'content-type': 'application/json' }, '{"email": ', 400],
    ['a body over 16 kB', { 'content-type': 'application/json' }, JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }), 413],
    ['another media type', { 'content-type': 'text/plain' }, 'email=a@b.c', 415],
  ])('%s gets %s problem+json and no stack trace', async (_case, headers, body, status) => {
    const response = await fetch(`${auth.url}/api/auth/sign-in/email`, { method: 'POST', headers: { ...headers, origin: siteOrigin }, body });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const text = await response.text();
    expect(text).not.toMatch(/node_modules|at .+:\d+:\d+/);
  });

  it.each([
    ['no email', { password: 'whatever password' }],
    ['an email that is an object', { email: { $ne: null }, password: 'whatever password' }],
    ['an enormous email', { email: `${'a'.repeat(5000)}@example.com`, password: 'whatever password' }],
    ['a password that is a number', { email: 'someone@example.com', password: 12345678901 }],
  ])('%s is refused with a 4xx, never a 500', async (_case, body) => {
    const response = await fetch(`${auth.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: siteOrigin },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
