import { demoPassword } from '../../auth-service/src/seed/demo-accounts.ts';

/** What a browser on the site would send as its origin. */
const siteOrigin = 'http://localhost:3000';

/**
 * Signs a demo account in through the gateway, as the site would, and answers a
 * caller that sends that session's cookie with every request.
 */
export async function demoSession(gatewayUrl: string, account: { email: string }, who: string) {
  const signIn = await fetch(`${gatewayUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: siteOrigin },
    body: JSON.stringify({ email: account.email, password: demoPassword }),
  });
  if (!signIn.ok) throw new Error(`the demo ${who} cannot sign in (${signIn.status})`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gatewayUrl}${path}`, { method, headers: { cookie, origin: siteOrigin, ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
}
