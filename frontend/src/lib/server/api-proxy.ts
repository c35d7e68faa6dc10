import type { RequestEvent } from '@sveltejs/kit';
import { authCookies } from './api.ts';
import { gatewayUrl } from './gateway.ts';

// Hop-by-hop headers (RFC 9110 §7.6.1), those fetch sets itself, and cookies (only the session's go on, below).
const notForwarded = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'cookie']);

/** Paths the browser reaches the API through: one origin, so cookies stay the site's and no CORS is needed. */
export function isProxied(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname.startsWith('/media/');
}

/**
 * Passes an /api/* or /media/* request to the gateway unchanged (body streamed,
 * cookies and Set-Cookie included) and says who the client is: the gateway
 * trusts this hop's X-Forwarded-For (TRUSTED_PROXIES).
 */
export async function proxyToGateway(event: RequestEvent): Promise<Response> {
  const { request, url } = event;
  const headers = new Headers();
  for (const [name, value] of request.headers) if (!notForwarded.has(name)) headers.set(name, value);
  // The site's own cookies (a checkout's attendee names, say) are none of the API's business.
  const cookie = authCookies(request);
  if (cookie) headers.set('cookie', cookie);
  headers.set('x-forwarded-for', event.getClientAddress());
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
  headers.set('x-forwarded-host', url.host);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  try {
    // Node's fetch needs `duplex` to stream a request body.
    const init: RequestInit & { duplex: 'half' } = { method: request.method, headers, body: hasBody ? request.body : undefined, redirect: 'manual', duplex: 'half', signal: request.signal };
    const upstream = await fetch(`${gatewayUrl()}${url.pathname}${url.search}`, init);
    const responseHeaders = new Headers(upstream.headers);
    // fetch has already decoded the body.
    responseHeaders.delete('content-encoding');
    responseHeaders.delete('content-length');
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
  } catch {
    return new Response(
      JSON.stringify({ type: 'https://twenny.dev/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'The API cannot be reached right now; try again shortly.' }),
      { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '5' } },
    );
  }
}
