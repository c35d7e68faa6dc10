import { randomInt } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { authClient, siteOrigin, uniqueEmail } from '../auth-service/test/support/auth-client.ts';
import { startTestAuthService, type TestAuthService } from '../auth-service/test/support/auth-service.ts';
import { startGateway, type RunningGateway } from '../gateway/test/support/gateway-harness.ts';

/**
 * Accounts end to end as a browser sees them: Better-Auth's client talks only to
 * the gateway, which proxies to a real auth-service (own database, Redis prefix,
 * broker prefix, capturing SMTP server). Both run in this process on free ports.
 */

interface Stack {
  auth: TestAuthService;
  gateway: RunningGateway;
}

/** auth-service, then a gateway in front of it; issuer and audience are both sides' defaults. */
async function startStack(authEnv: Record<string, string> = {}, gatewayEnv: Record<string, string> = {}): Promise<Stack> {
  const auth = await startTestAuthService(authEnv);
  try {
    const gateway = await startGateway({ AUTH_SERVICE_URL: auth.url, AUTH_JWKS_URL: `${auth.url}/api/auth/jwks`, ...gatewayEnv });
    return { auth, gateway };
  } catch (error) {
    await auth.stop();
    throw error;
  }
}

async function stopStack(stack: Stack | undefined) {
  await stack?.gateway.stop();
  await stack?.auth.stop();
}

const password = 'correct horse battery';

let stack: Stack;
let gatewayUrl: string;

beforeAll(async () => {
  // The gateway keeps its defaults, SESSION_TOKEN_CACHE_TTL_MS (60 s) included:
  // these flows must work as deployed, not only with the cache turned off.
  stack = await startStack();
  gatewayUrl = stack.gateway.url;
});

afterAll(async () => {
  await stopStack(stack);
});

async function signedUp(name: string, email = uniqueEmail(name)) {
  const client = authClient(gatewayUrl);
  const result = await client.api.signUp.email({ name, email, password });
  expect(result.error).toBeNull();
  return { ...client, email, userId: result.data!.user.id };
}

async function signedIn(email: string, withPassword = password) {
  const client = authClient(gatewayUrl);
  const result = await client.api.signIn.email({ email, password: withPassword });
  expect(result.error).toBeNull();
  return client;
}

interface Me {
  userId: string;
  email: string;
  role: string;
  orgs: Array<{ id: string; role: string }>;
  tokenExpiresAt: string;
}

/** GET /api/me through the gateway with whatever credentials `headers` carry. */
function me(headers: Record<string, string> = {}) {
  return fetch(`${gatewayUrl}/api/me`, { headers });
}

async function meOf(client: ReturnType<typeof authClient>): Promise<Me> {
  const response = await client.jar.fetch(`${gatewayUrl}/api/me`);
  expect(response.status).toBe(200);
  return (await response.json()) as Me;
}

async function expectUnauthorizedProblem(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect(await response.json()).toMatchObject({ status: 401, detail: expect.any(String) });
}

/** A sign-in as a page on the site would send it, straight at `baseUrl`'s sign-in route. */
function signIn(baseUrl: string, email: string, withPassword: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: siteOrigin, ...headers },
    body: JSON.stringify({ email, password: withPassword }),
  });
}

async function expectRateLimitedProblem(response: Response, maxRetryAfterSeconds: number) {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfterSeconds);
  const body = (await response.json()) as { status: number; detail: string };
  expect(body.status).toBe(429);
  return body;
}

/** A mail link re-pointed at the gateway: in production the site's /api proxy leads there. */
function throughGateway(link: string): string {
  const url = new URL(link);
  return `${gatewayUrl}${url.pathname}${url.search}`;
}

describe('an account, through the gateway', () => {
  it('signs up, signs in, sees its session and its claims at /api/me, signs out, and is refused afterwards', async () => {
    const { email, userId } = await signedUp('ann');
    // Another browser, so that the session below comes from sign-in, not sign-up.
    const client = await signedIn(email);
    expect(client.jar.cookies.has('twenny.session_token')).toBe(true);

    const session = await client.api.getSession();
    expect(session.error).toBeNull();
    expect(session.data?.user).toMatchObject({ id: userId, email });

    const claims = await meOf(client);
    expect(claims).toMatchObject({ userId, email, role: 'user', orgs: [] });
    expect(Date.parse(claims.tokenExpiresAt)).toBeGreaterThan(Date.now());

    const cookie = client.jar.cookieHeader();
    expect((await client.api.signOut()).error).toBeNull();
    expect(client.jar.cookies.has('twenny.session_token')).toBe(false);
    expect((await client.api.getSession()).data).toBeNull();
    await expectUnauthorizedProblem(await client.jar.fetch(`${gatewayUrl}/api/me`));

    // The old cookie, replayed: the gateway had cached this session's token (the
    // /api/me above), so this shows the sign-out made it forget it, not just the jar.
    await expectUnauthorizedProblem(await me({ cookie }));
    const replayed = await fetch(`${gatewayUrl}/api/auth/get-session`, { headers: { cookie, origin: siteOrigin } });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toBeNull();
  });

  it('resets a forgotten password from the link in the real mail: the old password then fails, the new one works', async () => {
    const { email } = await signedUp('reese');
    const stranger = authClient(gatewayUrl);
    const asked = await stranger.api.requestPasswordReset({ email, redirectTo: `${siteOrigin}/reset-password` });
    expect(asked.error).toBeNull();

    const mail = await stack.auth.smtp.waitForMail(email, /Reset your twenny password/);
    const link = mail.links.find((l) => l.includes('/api/auth/reset-password/'));
    expect(link).toMatch(/^http:\/\/localhost:3000\/api\/auth\/reset-password\//);

    // Following the link hands the token to the site's reset page.
    const followed = await fetch(throughGateway(link!), { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const landing = new URL(followed.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${siteOrigin}/reset-password`);
    const token = landing.searchParams.get('token');
    expect(token).toBeTruthy();

    expect((await stranger.api.resetPassword({ newPassword: 'a brand new password', token: token! })).error).toBeNull();
    const withOld = await authClient(gatewayUrl).api.signIn.email({ email, password });
    expect(withOld.error?.status).toBe(401);
    const withNew = await signedIn(email, 'a brand new password');
    expect((await meOf(withNew)).email).toBe(email);
  });

  it('creates an organisation and invites by mail; once the invitee accepts, their /api/me lists it with the invited role', async () => {
    const owner = await signedUp('owner');
    const created = await owner.api.organization.create({ name: 'Gateway Owls', slug: `gateway-owls-${Date.now()}-${randomInt(1e6)}` });
    expect(created.error).toBeNull();
    const organizationId = created.data!.id;

    const inviteeEmail = uniqueEmail('invitee');
    const invited = await owner.api.organization.inviteMember({ organizationId, email: inviteeEmail, role: 'member' });
    expect(invited.error).toBeNull();
    const mail = await stack.auth.smtp.waitForMail(inviteeEmail, /invited you to Gateway Owls/);
    const link = mail.links.find((l) => l.includes('/invitations/'));
    expect(link).toBeDefined();
    const invitationId = decodeURIComponent(new URL(link!).pathname.split('/').at(-1)!);
    expect(invitationId).toBe(invited.data!.id);

    const invitee = await signedUp('invitee', inviteeEmail);
    // Asked before accepting, so the gateway now holds this session's token with no orgs.
    expect((await meOf(invitee)).orgs).toEqual([]);
    expect((await invitee.api.organization.acceptInvitation({ invitationId })).error).toBeNull();

    // The same session, at once: organisation routes make the gateway forget the
    // session's cached token, so the next request carries the new membership.
    expect(await meOf(invitee)).toMatchObject({ userId: invitee.userId, email: inviteeEmail, orgs: [{ id: organizationId, role: 'member' }] });
    expect((await meOf(owner)).orgs).toEqual([{ id: organizationId, role: 'owner' }]);
  });

  it('trades the session for a bearer token that works at /api/me without a cookie; a tampered token is refused', async () => {
    const client = await signedUp('bearer');
    const issued = await client.api.token();
    expect(issued.error).toBeNull();
    const jwt = issued.data!.token;
    expect(decodeJwt(jwt)).toMatchObject({ sub: client.userId, iss: 'http://localhost:3000', aud: 'twenny-api' });

    const response = await me({ authorization: `Bearer ${jwt}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userId: client.userId, email: client.email, role: 'user', orgs: [] });

    // A character in the middle of the signature: the last one may only carry padding bits.
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const at = Math.floor(signature.length / 2);
    const tampered = `${header}.${payload}.${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
    expect(tampered).not.toBe(jwt);
    const refused = await me({ authorization: `Bearer ${tampered}` });
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    await expectUnauthorizedProblem(refused);
  });
});

describe('failed sign-ins, through the gateway', () => {
  // A fixed window from the first failure: all 20 (~120 ms each, password hashing)
  // must fall inside it, with room for a loaded machine, yet waiting out the rest stays short.
  const failureWindowSeconds = 8;
  let limited: Stack;

  beforeAll(async () => {
    // The gateway's window is short too, so the polling below never spends its sign-in bucket.
    limited = await startStack({ SIGN_IN_FAILURE_WINDOW_SECONDS: String(failureWindowSeconds), SIGN_IN_MAX_FAILURES: '20' }, { RATE_LIMIT_WINDOW_SECONDS: '2' });
  });

  afterAll(async () => {
    await stopStack(limited);
  });

  it('20 wrong passwords, then auth-service\'s per-account throttle answers 429 problem+json with Retry-After; the right password works after the window', async () => {
    const url = limited.gateway.url;
    const email = uniqueEmail('limited');
    expect((await authClient(url).api.signUp.email({ name: 'Limited', email, password })).error).toBeNull();

    for (let attempt = 1; attempt <= 20; attempt++) {
      expect((await signIn(url, email, `wrong password ${attempt}`)).status, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await signIn(url, email, password);
    // 22 sign-in-class requests stay under the gateway's 30 per address: auth-service answers.
    expect(Number(blocked.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
    const problem = await expectRateLimitedProblem(blocked, failureWindowSeconds);
    expect(problem.detail).toMatch(/failed sign-ins/);

    // Polled with the right password: a refused attempt is not counted as a failure.
    const after = await waitFor(
      'the failure window to pass',
      async () => {
        const response = await signIn(url, email, password);
        return response.status === 429 ? undefined : response;
      },
      { timeoutMs: (failureWindowSeconds + 5) * 1000, intervalMs: 250 },
    );
    expect(after.status).toBe(200);
  });
});

describe('the gateway\'s sign-in limit per address and X-Forwarded-For', () => {
  const perAddress = 5;
  let untrusting: RunningGateway;
  let trusting: RunningGateway;
  let email: string;

  beforeAll(async () => {
    const upstream = { AUTH_SERVICE_URL: stack.auth.url, AUTH_JWKS_URL: `${stack.auth.url}/api/auth/jwks`, RATE_LIMIT_SIGN_IN_PER_ADDRESS: String(perAddress) };
    // The test connects over loopback, so only a gateway that trusts no hop treats it as a client that may lie.
    untrusting = await startGateway({ ...upstream, TRUSTED_PROXIES: '' });
    trusting = await startGateway({ ...upstream, TRUSTED_PROXIES: 'loopback' });
    // Made through the main gateway so that sign-up does not spend these gateways' sign-in buckets.
    email = (await signedUp('spoofer')).email;
  });

  afterAll(async () => {
    await untrusting?.stop();
    await trusting?.stop();
  });

  const used = new Set<string>();
  /** An address not sent before in this file. */
  function randomAddress(): string {
    for (;;) {
      const address = `198.${randomInt(18, 20)}.${randomInt(256)}.${randomInt(1, 255)}`;
      if (!used.has(address)) {
        used.add(address);
        return address;
      }
    }
  }

  it('from an untrusted hop, a different X-Forwarded-For on every attempt still lands in one bucket: 429 after the limit', async () => {
    for (let attempt = 1; attempt <= perAddress; attempt++) {
      expect((await signIn(untrusting.url, email, 'wrong password', { 'x-forwarded-for': randomAddress() })).status, `attempt ${attempt}`).toBe(401);
    }
    const refused = await signIn(untrusting.url, email, 'wrong password', { 'x-forwarded-for': randomAddress() });
    const problem = await expectRateLimitedProblem(refused, untrusting.config.RATE_LIMIT_WINDOW_SECONDS);
    // The gateway's own refusal (auth-service saw only 5 failures, far below its 20).
    expect(problem.detail).toMatch(/^Too many requests; try again in \d+ s\.$/);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(perAddress));
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('from a trusted hop, X-Forwarded-For is believed: each address has its own bucket', async () => {
    for (let attempt = 1; attempt <= perAddress + 2; attempt++) {
      expect((await signIn(trusting.url, email, 'wrong password', { 'x-forwarded-for': randomAddress() })).status, `attempt ${attempt}`).toBe(401);
    }
    // The same limit holds for any one of those addresses.
    const one = { 'x-forwarded-for': randomAddress() };
    for (let attempt = 1; attempt <= perAddress; attempt++) {
      expect((await signIn(trusting.url, email, 'wrong password', one)).status, `attempt ${attempt} from one address`).toBe(401);
    }
    const problem = await expectRateLimitedProblem(await signIn(trusting.url, email, 'wrong password', one), trusting.config.RATE_LIMIT_WINDOW_SECONDS);
    expect(problem.detail).toMatch(/^Too many requests; try again in \d+ s\.$/);
  });
});
