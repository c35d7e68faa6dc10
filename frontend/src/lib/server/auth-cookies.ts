import type { Cookies } from '@sveltejs/kit';
import { parseSetCookie } from 'set-cookie-parser';

/**
 * Passes the gateway's Set-Cookie headers (Better-Auth's session cookie) on to
 * the browser, on the site's origin. Values are already encoded by Better-Auth:
 * they are written as they came.
 */
export function relaySetCookies(cookies: Cookies, headers: Headers): void {
  for (const cookie of parseSetCookie(headers.getSetCookie(), { decodeValues: false })) {
    const sameSite = cookie.sameSite?.toLowerCase();
    cookies.set(cookie.name, cookie.value, {
      path: cookie.path ?? '/',
      httpOnly: cookie.httpOnly ?? true,
      secure: cookie.secure ?? false,
      sameSite: sameSite === 'strict' || sameSite === 'none' ? sameSite : 'lax',
      ...(cookie.maxAge !== undefined && { maxAge: cookie.maxAge }),
      ...(cookie.expires && cookie.maxAge === undefined && { expires: cookie.expires }),
      encode: (value) => value,
    });
  }
}
