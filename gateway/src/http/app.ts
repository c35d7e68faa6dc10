import type { Express, RequestHandler } from 'express';
import { createHttpApp, HttpProblem, type ReadinessCheck } from '@twenny/http-kit';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { docsRoutes } from '../docs/docs-routes.ts';
import type { IdentityResolver } from '../identity/resolve-identity.ts';
import { openApiRoute } from '../openapi/openapi-route.ts';
import type { UpstreamDocuments } from '../openapi/upstream-documents.ts';
import type { UpstreamPools } from '../proxy/upstream-pools.ts';
import type { RateLimiter } from '../rate-limit/rate-limit.ts';
import { nonCanonicalTarget } from '../routes/path-guard.ts';
import type { RouteEntry } from '../routes/route-table.ts';
import type { Upstreams } from '../upstreams.ts';
import { platformHealth } from './platform-health.ts';
import { nonCanonicalPathProblem } from './problems.ts';
import { proxyRoutes } from './proxy-routes.ts';
import { setSecurityHeaders } from './security-headers.ts';

export interface GatewayAppDeps {
  logger: Logger;
  lifecycle: Lifecycle;
  upstreams: Upstreams;
  routes: readonly RouteEntry[];
  pools: UpstreamPools;
  identity: IdentityResolver;
  rateLimiter: RateLimiter;
  documents: UpstreamDocuments;
  readiness: ReadinessCheck[];
  trustProxy: string[] | false;
  bodyLimitBytes: number;
  timeoutMs: number;
}

/**
 * Security headers, the canonical-path check, then the route table, as one
 * middleware: each Express layer a request passes is a span of its own under
 * the telemetry preload, and this is the path every proxied request takes.
 */
function front(proxy: RequestHandler): RequestHandler {
  return (req, res, next) => {
    setSecurityHeaders(res);
    const reason = nonCanonicalTarget(req.originalUrl, req.path);
    if (reason) return next(nonCanonicalPathProblem(reason));
    return proxy(req, res, next);
  };
}

/** The gateway's Express app, without listen (tests mount it on a random port). */
export function createGatewayApp(deps: GatewayAppDeps): Express {
  return createHttpApp({
    logger: deps.logger,
    lifecycle: deps.lifecycle,
    readiness: deps.readiness,
    trustProxy: deps.trustProxy,
    // Everything is mounted before the JSON parser: proxied bodies stream through unread.
    rawBodyRoutes: (app) => {
      app.use(front(proxyRoutes(deps)));
      // The gateway's own routes (all public). No table entry matches them (a test checks).
      app.get('/health', platformHealth(deps.upstreams));
      app.get('/api/openapi.json', openApiRoute({ routes: deps.routes, documents: deps.documents }));
      docsRoutes(app);
      // No wildcard pass-through: what the table does not list ends here, body unread.
      app.use((req, _res, next) => next(HttpProblem.notFound(`No route for ${req.method} ${req.path}.`)));
    },
    routes: () => {},
  });
}
