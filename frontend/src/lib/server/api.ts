import type { RequestEvent } from '@sveltejs/kit';
import { gatewayUrl } from './gateway.ts';
import { unavailableProblem, type Problem, toProblem } from './problem.ts';

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; problem: Problem; headers: Headers };

export interface ApiRequest {
  query?: Record<string, string | number | boolean | undefined | null>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Default 10 s; a slow gateway must not hold a page forever. */
  timeoutMs?: number;
}

// The session cookie Better-Auth sets (prefix "twenny"), plain and over https.
const sessionCookie = /^(__Secure-)?twenny\./;

/**
 * Only Better-Auth's cookies go to the gateway: it resolves the session to an
 * identity token itself. The raw header is used so encoded values pass unchanged.
 */
export function authCookies(request: Request): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  const pairs = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => sessionCookie.test(part));
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}

function withQuery(path: string, query: ApiRequest['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Calls the gateway for a page load or form action, as the person making the
 * request: their session cookie, their address (the gateway trusts this hop's
 * X-Forwarded-For) and the site's origin (Better-Auth checks it).
 */
export async function callApi<T>(event: Pick<RequestEvent, 'request' | 'url' | 'getClientAddress'>, method: string, path: string, options: ApiRequest = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    origin: event.url.origin,
    'x-forwarded-for': event.getClientAddress(),
    'x-forwarded-proto': event.url.protocol.replace(':', ''),
    'x-forwarded-host': event.url.host,
    ...options.headers,
  };
  const cookie = authCookies(event.request);
  if (cookie) headers.cookie = cookie;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl()}${withQuery(path, options.query)}`, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch {
    return { ok: false, status: 503, problem: unavailableProblem(), headers: new Headers() };
  }
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const parsed = type.includes('json') && text ? safeJson(text) : undefined;
  if (response.ok) return { ok: true, status: response.status, data: (parsed ?? text) as T, headers: response.headers };
  // A redirect (fetch follows none) is not an answer the site can use: a bad gateway, as far as pages go.
  const status = response.status >= 400 && response.status <= 599 ? response.status : 502;
  return { ok: false, status, problem: toProblem(status, parsed), headers: response.headers };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The API as one request's caller: `api(event).get('/api/orders')`. */
export function api(event: Pick<RequestEvent, 'request' | 'url' | 'getClientAddress'>) {
  return {
    get: <T>(path: string, options?: ApiRequest) => callApi<T>(event, 'GET', path, options),
    post: <T>(path: string, json?: unknown, options?: ApiRequest) => callApi<T>(event, 'POST', path, { ...options, json }),
    patch: <T>(path: string, json: unknown, options?: ApiRequest) => callApi<T>(event, 'PATCH', path, { ...options, json }),
    delete: <T>(path: string, options?: ApiRequest) => callApi<T>(event, 'DELETE', path, options),
    send: <T>(method: string, path: string, options?: ApiRequest) => callApi<T>(event, method, path, options),
  };
}
