export interface CookieFetch {
  /** fetch that keeps cookies between calls, and sends `origin` as a browser on the site would. */
  fetch: typeof fetch;
  cookies: Map<string, string>;
  cookieHeader(): string;
}

/**
 * A browser's cookie handling, minimally, for driving Better-Auth from Node:
 * stores Set-Cookie (dropping expired ones), sends them back, and adds the Origin
 * header browsers send, which Better-Auth's CSRF check requires.
 */
export function createCookieFetch(origin: string): CookieFetch {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', cookieHeader());
    if (!headers.has('origin')) headers.set('origin', origin);
    const response = await fetch(input, { ...init, headers, redirect: init?.redirect ?? 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.slice(a.indexOf('=') + 1)) < Date.now()));
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  return { fetch: cookieFetch, cookies, cookieHeader };
}
