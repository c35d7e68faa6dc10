/**
 * Better-Auth's session cookie (cookie prefix "twenny"); over https it carries
 * the `__Secure-` prefix. The value is opaque to the gateway.
 */
export const sessionCookieNames = ['__Secure-twenny.session_token', 'twenny.session_token'] as const;

// Longer than any session token Better-Auth issues; a longer value is not a session.
const maxValueLength = 4096;
// RFC 6265 cookie-octets, optionally in double quotes.
const cookieValue = /^(?:[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+|"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*")$/;

/**
 * The session cookie from a Cookie header, as `name=value` (what auth-service is
 * sent to exchange it), or undefined. The `__Secure-` one wins when both are
 * there; of repeated names the first counts. Malformed pairs are skipped, never
 * thrown on.
 */
export function findSessionCookie(header: string | undefined): string | undefined {
  if (!header || !header.includes('session_token')) return undefined;
  let found: { rank: number; pair: string } | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const rank = sessionCookieNames.indexOf(part.slice(0, eq).trim() as (typeof sessionCookieNames)[number]);
    if (rank === -1 || (found && found.rank <= rank)) continue;
    const value = part.slice(eq + 1).trim();
    if (value.length === 0 || value.length > maxValueLength || !cookieValue.test(value)) continue;
    found = { rank, pair: `${sessionCookieNames[rank]}=${value}` };
  }
  return found?.pair;
}
