import { randomUUID } from 'node:crypto';
import { createTestIssuer, type TestIssuer } from '@twenny/testing';
import type { StubUpstream } from './stub-upstream.ts';

export interface Caller {
  userId: string;
  token: string;
  /** A session cookie (`twenny.session_token=...`) the stub auth-service trades for `token`. */
  cookie: string;
}

export interface IdentityFixture {
  issuer: TestIssuer;
  jwksUrl: string;
  user: Caller;
  otherUser: Caller;
  admin: Caller;
  /** Tokens the gateway must refuse. */
  bad: { forged: string; expired: string; wrongAudience: string; wrongIssuer: string };
  /** Calls the stub auth-service has had at /api/auth/token. */
  exchanges(): number;
  /** A new session cookie for a new user; `token` overrides the token it is traded for. */
  newSession(claims?: { role?: string }, token?: string): Promise<Caller>;
  /** Ends a session at the stub auth-service only (as if revoked elsewhere). */
  revoke(caller: Caller): void;
  /** Makes /api/auth/token answer this status (or this raw body with 200); undefined restores it. */
  breakExchanges(failure: { status: number } | { body: string } | undefined): void;
  /** Makes /api/auth/token answer only after this many milliseconds (0: at once). */
  delayExchanges(ms: number): void;
  close(): Promise<void>;
}

/**
 * A fake auth-service key set and session store: the auth stub answers
 * GET /api/auth/token with the token of the session named in the cookie, 401
 * for any other cookie, as Better-Auth's JWT plugin does.
 */
export async function identityFixture(auth: StubUpstream): Promise<IdentityFixture> {
  const kid = randomUUID();
  const issuer = await createTestIssuer({ kid });
  const impostor = await createTestIssuer({ kid });
  const served = await issuer.serve();
  const sessions = new Map<string, string>();
  let failure: { status: number } | { body: string } | undefined;
  let delayMs = 0;
  const sessionOf = (cookie: string | undefined) => /(?:^|;\s*)(?:__Secure-)?twenny\.session_token=([^;]+)/.exec(cookie ?? '')?.[1];

  async function newSession(claims: { role?: string } = {}, given?: string): Promise<Caller> {
    const userId = randomUUID();
    const token = given ?? (await issuer.sign({ sub: userId, email: `${userId.slice(0, 8)}@example.com`, role: claims.role ?? 'user' }));
    const value = `${randomUUID()}.signature`;
    sessions.set(value, token);
    return { userId, token, cookie: `twenny.session_token=${value}` };
  }

  auth.on('/api/auth/token', async (req, res) => {
    // The session is looked up when the request arrives, answered after the delay: as a slow auth-service would.
    const tokenNow = sessions.get(sessionOf(req.headers.cookie) ?? '');
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (failure && 'status' in failure) return void res.writeHead(failure.status).end();
    if (failure) return void res.writeHead(200, { 'content-type': 'application/json' }).end(failure.body);
    const token = tokenNow;
    if (!token) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"unauthorized"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
  });

  // Better-Auth's sign-out ends the session named by the cookie.
  auth.on('/api/auth/sign-out', (req, res) => {
    const value = sessionOf(req.headers.cookie);
    if (value) sessions.delete(value);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
  });

  return {
    issuer,
    jwksUrl: served.url,
    user: await newSession(),
    otherUser: await newSession(),
    admin: await newSession({ role: 'admin' }),
    bad: {
      forged: await impostor.sign({ role: 'admin' }),
      expired: await issuer.sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      wrongAudience: await issuer.sign({}, { audience: 'someone-else' }),
      wrongIssuer: await issuer.sign({}, { issuer: 'https://evil.example' }),
    },
    exchanges: () => auth.requestsTo('/api/auth/token').length,
    newSession,
    revoke: (caller) => void sessions.delete(sessionOf(caller.cookie)!),
    breakExchanges: (given) => void (failure = given),
    delayExchanges: (ms) => void (delayMs = ms),
    close: () => served.close(),
  };
}
