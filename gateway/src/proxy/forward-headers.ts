import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and others only the gateway may set towards a service. */
const neverForwarded = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  // undici sets the upstream's own Host; the client's travels as X-Forwarded-Host.
  'host',
  // Node's server already answered any 100-continue; undici refuses the header.
  'expect',
  // The gateway decides who the client is and says so itself.
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-request-id',
]);

/**
 * Headers that look like identity asserted by a hop in front (a name starting
 * with any of these). The services never read them (identity comes only from a
 * token they verify), but a header that never arrives cannot be trusted by
 * mistake later: they are dropped on the way in.
 */
export const identityHeaderPrefixes = [
  'x-user', 'x-auth', 'x-identity', 'x-authenticated', 'x-remote-user', 'remote-user',
  'x-forwarded-user', 'x-forwarded-email', 'x-forwarded-groups', 'x-forwarded-preferred-username', 'x-forwarded-access-token',
  'x-jwt', 'x-access-token', 'x-id-token', 'x-api-user', 'x-consumer-', 'x-org-', 'x-orgs', 'x-organization', 'x-role', 'x-tenant',
  'x-twenny-', 'x-amzn-oidc-', 'x-ms-client-principal', 'x-goog-authenticated-',
] as const;

export function isIdentityHeader(name: string): boolean {
  if (!name.startsWith('x-') && !name.startsWith('remote-')) return false;
  for (const prefix of identityHeaderPrefixes) if (name.startsWith(prefix)) return true;
  return false;
}

export interface ForwardedRequest {
  clientAddress: string;
  protocol: string;
  host: string | undefined;
  requestId: string;
  /** Replaces cookie and authorization (`token` routes); undefined passes them untouched. */
  bearer?: { token: string | undefined };
  /** The client's trace headers to drop, and the request's own to send (see trace-context.ts). */
  trace: { drop: readonly string[]; add: Record<string, string> };
  /** Whether a body follows; without one, a client's Content-Length is left to undici. */
  hasBody: boolean;
}

/** The headers a service receives for a proxied request. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, forwarded: ForwardedRequest): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  const named = connectionTokens(incoming.connection);
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || neverForwarded.has(name) || isIdentityHeader(name)) continue;
    if (named?.has(name)) continue;
    if (forwarded.bearer && (name === 'cookie' || name === 'authorization')) continue;
    if (forwarded.trace.drop.includes(name)) continue;
    if (name === 'content-length' && (!forwarded.hasBody || incoming['transfer-encoding'] !== undefined)) continue;
    headers[name] = value;
  }
  if (forwarded.bearer?.token) headers.authorization = `Bearer ${forwarded.bearer.token}`;
  headers['x-forwarded-for'] = forwarded.clientAddress;
  headers['x-forwarded-proto'] = forwarded.protocol;
  if (forwarded.host) headers['x-forwarded-host'] = forwarded.host;
  headers['x-request-id'] = forwarded.requestId;
  Object.assign(headers, forwarded.trace.add);
  return headers;
}

const responseHopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings']);

/** Whether a service's response header is passed on to the client. */
export function forwardsResponseHeader(name: string, connectionNamed: Set<string> | undefined): boolean {
  return !responseHopByHop.has(name) && !connectionNamed?.has(name);
}

/** Header names listed in a Connection header: hop-by-hop too (RFC 9110 §7.6.1). */
export function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (!value) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!text.includes(',') && /^\s*(keep-alive|close)\s*$/i.test(text)) return undefined;
  return new Set(text.split(',').map((token) => token.trim().toLowerCase()).filter(Boolean));
}
