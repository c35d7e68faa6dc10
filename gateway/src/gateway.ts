import type { Express } from 'express';
import { Redis } from 'ioredis';
import { createIdentityVerifier } from '@twenny/identity';
import type { Lifecycle } from '@twenny/lifecycle';
import { safeUrl, type Logger } from '@twenny/logger';
import type { GatewayConfig } from './config.ts';
import { createGatewayApp } from './http/app.ts';
import { createIdentityResolver } from './identity/resolve-identity.ts';
import { createSessionExchange } from './identity/session-exchange.ts';
import { createUpstreamDocuments } from './openapi/upstream-documents.ts';
import { createUpstreamPools } from './proxy/upstream-pools.ts';
import { createRateLimiter, type RateLimits } from './rate-limit/rate-limit.ts';
import { routeTable, type RouteEntry } from './routes/route-table.ts';
import { upstreams } from './upstreams.ts';

// Rate limiting waits this long for Redis before counting in memory instead.
const redisCommandTimeoutMs = 250;
// A session cache key (cache-key.ts: a SHA-256 digest, base64url).
const sessionKeyPattern = /^[A-Za-z0-9_-]{43}$/;
// A service's API description is for people reading docs: never wait long for it.
const documentTimeoutMs = 2_000;

export function rateLimitsFrom(config: GatewayConfig): RateLimits {
  return {
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    classes: {
      default: { address: config.RATE_LIMIT_PER_ADDRESS, user: config.RATE_LIMIT_PER_USER },
      // Strict limits are exact across replicas: counted in Redis on every request.
      'sign-in': { address: config.RATE_LIMIT_SIGN_IN_PER_ADDRESS, exact: true },
      holds: { address: config.RATE_LIMIT_HOLDS_PER_ADDRESS, user: config.RATE_LIMIT_HOLDS_PER_USER, exact: true },
      // A payment provider sends every buyer's webhook from a few addresses, in bursts on sale day.
      webhooks: { address: config.RATE_LIMIT_WEBHOOKS_PER_ADDRESS },
      uploads: { address: config.RATE_LIMIT_UPLOADS_PER_ADDRESS, user: config.RATE_LIMIT_UPLOADS_PER_USER },
    },
  };
}

/**
 * The gateway's composition: Redis, one pool per service, identity checking,
 * rate limits, the app. Connections close in the lifecycle's `connections`
 * phase, after the HTTP server has drained.
 */
export function createGateway(
  config: GatewayConfig,
  context: { logger: Logger; lifecycle: Lifecycle; routes?: readonly RouteEntry[] },
): { app: Express; redisReady(timeoutMs: number): Promise<boolean> } {
  const { logger, lifecycle } = context;
  const services = upstreams(config);

  const redis = new Redis(config.REDIS_URL, {
    connectionName: 'twenny-gateway',
    // Fail a command at once while disconnected (the limiter then counts in memory) instead of queueing it.
    enableOfflineQueue: false,
    commandTimeout: redisCommandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in the same tick (the two counters of a request, other requests') leave in one write.
    enableAutoPipelining: true,
  });
  let redisDown = false;
  redis.on('error', (error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: error, redis: safeUrl(config.REDIS_URL) }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('Redis connection back');
    redisDown = false;
  });
  lifecycle.onStop('redis', () => redis.quit().catch(() => redis.disconnect()), 'connections');

  const pools = createUpstreamPools(services, { connections: config.UPSTREAM_CONNECTIONS, connectTimeoutMs: config.UPSTREAM_TIMEOUT_MS });
  lifecycle.onStop('upstream pools', () => pools.close(), 'connections');

  const verifier = createIdentityVerifier({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  // A sign-out through one replica reaches every replica's session cache at once
  // (Redis pub/sub); if Redis is away, SESSION_TOKEN_CACHE_TTL_MS bounds the delay.
  const forgottenChannel = `${config.REDIS_PREFIX}:gateway:sessions-forgotten`;
  const sessions = createSessionExchange({
    auth: pools.auth,
    verifier,
    logger,
    cacheTtlMs: config.SESSION_TOKEN_CACHE_TTL_MS,
    maxEntries: config.IDENTITY_CACHE_MAX_ENTRIES,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    onForget: (key) => void redis.publish(forgottenChannel, key).catch((error: unknown) => logger.warn({ err: error }, 'sign-out not announced to the other gateway replicas')),
  });
  const subscriber = redis.duplicate({ connectionName: 'twenny-gateway-sessions', enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
  subscriber.on('error', () => {}); // reported by the main connection's handler; this one reconnects and resubscribes by itself
  subscriber.on('message', (channel, key) => {
    if (channel === forgottenChannel && sessionKeyPattern.test(key)) sessions.forgetKey(key);
  });
  subscriber.subscribe(forgottenChannel).catch((error: unknown) => logger.warn({ err: error }, 'cannot hear sign-outs from other gateway replicas'));
  // Dropped, not quit: it only listens, and a quit would wait for a Redis that may be away.
  lifecycle.onStop('redis subscriber', () => subscriber.disconnect(), 'connections');

  const rateLimiter = createRateLimiter({ redis, prefix: config.REDIS_PREFIX, limits: rateLimitsFrom(config), logger });
  // After the HTTP server has drained ('workers' comes before 'connections'): the last batched counts reach Redis.
  lifecycle.onStop('rate-limit counts', () => rateLimiter.flush(), 'workers');

  const app = createGatewayApp({
    logger,
    lifecycle,
    upstreams: services,
    routes: context.routes ?? routeTable,
    pools,
    identity: createIdentityResolver({ verifier, sessions, cacheTtlMs: config.SESSION_TOKEN_CACHE_TTL_MS, maxEntries: config.IDENTITY_CACHE_MAX_ENTRIES }),
    rateLimiter,
    documents: createUpstreamDocuments({ pools, timeoutMs: Math.min(documentTimeoutMs, config.UPSTREAM_TIMEOUT_MS), logger }),
    // Without Redis the gateway still serves, counting limits in memory: reported, never a reason to leave the load balancer.
    readiness: [{ name: 'redis', optional: true, check: () => redis.ping() }],
    trustProxy: config.TRUSTED_PROXIES,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  return {
    app,
    /** Resolves true once Redis is connected, false after `timeoutMs` (the gateway works without it). */
    redisReady(timeoutMs) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          redis.off('ready', onReady);
          resolve(false);
        }, timeoutMs);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        redis.once('ready', onReady);
      });
    },
  };
}
