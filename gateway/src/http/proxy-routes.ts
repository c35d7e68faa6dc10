import type { Request, RequestHandler, Response } from 'express';
import { addressBucket } from '@twenny/http-kit';
import type { Identity } from '@twenny/identity';
import { needsLookup, type IdentityResolver } from '../identity/resolve-identity.ts';
import { traceForwarding } from '../proxy/trace-context.ts';
import { upstreamRequestHeaders } from '../proxy/forward-headers.ts';
import { hasBody, proxyRequest } from '../proxy/proxy.ts';
import type { UpstreamPools } from '../proxy/upstream-pools.ts';
import { rateLimitHeaders, tightest, type RateDecision, type RateLimiter } from '../rate-limit/rate-limit.ts';
import { createRouteMatcher } from '../routes/match-route.ts';
import type { RouteEntry } from '../routes/route-table.ts';
import { forbidden, methodNotAllowed, payloadTooLarge, rateLimited, unauthorized } from './problems.ts';

export interface ProxyRoutesDeps {
  routes: readonly RouteEntry[];
  pools: UpstreamPools;
  identity: IdentityResolver;
  rateLimiter: RateLimiter;
  bodyLimitBytes: number;
  timeoutMs: number;
}

/**
 * Serves every route-table entry: body size, identity, rate limits (per client
 * address, and per user when signed in), policy, then the proxy. A request that
 * fails a check is answered here and never reaches the service. Paths no entry
 * lists fall through to the 404.
 */
export function proxyRoutes(deps: ProxyRoutesDeps): RequestHandler {
  const matcher = createRouteMatcher(deps.routes);
  return async (req, res, next) => {
    const matched = matcher.match(req.method, req.path);
    if (!matched) return next();
    if ('allow' in matched) throw methodNotAllowed(req.method, matched.allow);
    const { entry } = matched;

    const bodyLimitBytes = entry.bodyLimitBytes ?? deps.bodyLimitBytes;
    if (Number(req.headers['content-length'] ?? 0) > bodyLimitBytes) throw payloadTooLarge(bodyLimitBytes);

    // req.ip walks X-Forwarded-For against the trusted hops on every read: read once.
    const clientAddress = req.ip ?? '';
    const address = addressBucket(clientAddress);
    let identity: Identity | undefined | typeof needsLookup;
    try {
      identity = deps.identity.known(req, entry);
    } catch (refusal) {
      // Bad credentials count too.
      enforce(res, [await deps.rateLimiter.consume(entry.rateLimit, 'address', address)]);
      throw refusal;
    }
    if (identity === needsLookup) {
      // Counted before identity is looked up: a flood of made-up cookies or tokens reaches auth-service only up to the address's limit.
      const byAddress = await deps.rateLimiter.consume(entry.rateLimit, 'address', address);
      enforce(res, [byAddress]);
      identity = await deps.identity.resolve(req, entry);
      if (identity) enforce(res, [byAddress, await deps.rateLimiter.consume(entry.rateLimit, 'user', identity.userId)]);
    } else {
      // The caller is known already: both counters in one Redis round trip.
      const user = identity?.userId;
      enforce(res, await Promise.all([deps.rateLimiter.consume(entry.rateLimit, 'address', address), user === undefined ? undefined : deps.rateLimiter.consume(entry.rateLimit, 'user', user)]));
    }
    if (entry.policy !== 'public' && !identity) throw unauthorized('Sign in, or send a bearer token.');
    if (entry.policy === 'platform-admin' && identity?.role !== 'admin') throw forbidden('Only platform administrators may do this.');

    if (entry.refreshesIdentity && req.method !== 'GET' && req.method !== 'HEAD') {
      // Forgotten now, and again once the service has answered, in case a request
      // in flight cached the session meanwhile. Reads (the site lists a person's
      // teams on every organiser page) change nothing, and keep the cached token.
      deps.identity.forgetSession(req);
      res.once('finish', () => deps.identity.forgetSession(req));
    }

    const headers = upstreamRequestHeaders(req.headers, {
      clientAddress,
      protocol: req.protocol,
      host: req.headers.host === undefined ? undefined : req.host,
      requestId: req.id,
      bearer: entry.credentials === 'token' ? { token: identity?.token } : undefined,
      trace: traceForwarding(),
      hasBody: hasBody(req),
    });
    // In the request's trace (http-kit's request context made it active): the undici instrumentation, when loaded, injects it.
    await proxyRequest(req, res, {
      pool: deps.pools[entry.upstream],
      upstream: entry.upstream,
      method: req.method,
      path: upstreamPath(req),
      headers,
      bodyLimitBytes,
      timeoutMs: entry.timeoutMs ?? deps.timeoutMs,
      log: req.log,
    });
  };
}

/** Sets the RateLimit headers for the tightest bucket; refuses with 429 when any bucket is spent. */
function enforce(res: Response, decisions: Array<RateDecision | undefined>) {
  const decision = tightest(decisions);
  if (!decision) return;
  const headers = rateLimitHeaders(decision);
  for (const name in headers) res.setHeader(name, headers[name]!);
  if (!decision.allowed) throw rateLimited(decision.resetSeconds, headers);
}

/** Path and query as the client sent them (an absolute-form target is reduced to its path). */
function upstreamPath(req: Request): string {
  const url = req.originalUrl;
  if (url.startsWith('/')) return url;
  const query = url.indexOf('?');
  return query === -1 ? req.path : `${req.path}${url.slice(query)}`;
}
