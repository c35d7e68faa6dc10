import { isIP } from 'node:net';
import { z } from 'zod';
import { env, identityEnv } from '@twenny/config';

const upstream = (port: number) => env.url(['http:', 'https:'], `http://127.0.0.1:${port}`);

// Names Express (proxy-addr) understands, besides addresses and CIDR ranges.
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(item: string): boolean {
  if (namedRanges.has(item)) return true;
  const [address, bits, ...rest] = item.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The hops allowed to tell the gateway who the client is (X-Forwarded-For), in
 * Express `trust proxy` terms: comma-separated addresses, CIDR ranges or
 * loopback/linklocal/uniquelocal. Empty trusts no hop. A hop not listed here
 * cannot move a client into another rate-limit bucket by sending the header.
 */
const trustedProxies = z
  .string()
  .default('loopback')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.every(isAddressOrRange), {
    message: 'must be a comma-separated list of addresses, CIDR ranges, or loopback/linklocal/uniquelocal',
  })
  .transform((items): string[] | false => (items.length === 0 ? false : items));

export const configSchema = z.object({
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  PORT: env.port(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  AUTH_SERVICE_URL: upstream(4001),
  CATALOG_SERVICE_URL: upstream(4002),
  ORDER_SERVICE_URL: upstream(4003),
  MEDIA_SERVICE_URL: upstream(4004),
  ...identityEnv,
  /** Rate-limit counters live here; when it is unreachable limits are kept in memory (fail open). */
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: env.prefix('twenny'),
  TRUSTED_PROXIES: trustedProxies,
  /** Longest wait for an upstream's response headers (and between body chunks); a route may set its own. */
  UPSTREAM_TIMEOUT_MS: env.int(10_000, { min: 50, max: 300_000 }),
  /** Keep-alive connections per upstream service. */
  UPSTREAM_CONNECTIONS: env.int(64, { min: 1, max: 4096 }),
  /** Largest request body proxied, unless a route sets its own. */
  BODY_LIMIT_BYTES: env.int(1_048_576, { min: 0, max: 1_073_741_824 }),
  /**
   * Longest time a session's identity token, once exchanged, is reused without
   * asking auth-service again: the delay before a session revoked elsewhere (not
   * through this gateway's sign-out) is refused. Also caps the reuse of a
   * verified bearer token. 0 asks every time.
   */
  SESSION_TOKEN_CACHE_TTL_MS: env.int(60_000, { min: 0, max: 15 * 60_000 }),
  /** Sessions and bearer tokens remembered at once (each cache). */
  IDENTITY_CACHE_MAX_ENTRIES: env.int(10_000, { min: 1, max: 1_000_000 }),
  RATE_LIMIT_WINDOW_SECONDS: env.int(60, { min: 1, max: 86_400 }),
  /** Requests per window from one client address (IPv6: one /64), default class. */
  RATE_LIMIT_PER_ADDRESS: env.int(600, { min: 1 }),
  /** Requests per window from one signed-in user, default class. */
  RATE_LIMIT_PER_USER: env.int(600, { min: 1 }),
  /** Sign-in and sign-up attempts per window from one client address. */
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: env.int(30, { min: 1 }),
  /** Ticket holds per window from one client address. */
  RATE_LIMIT_HOLDS_PER_ADDRESS: env.int(120, { min: 1 }),
  /** Ticket holds per window from one signed-in user. */
  RATE_LIMIT_HOLDS_PER_USER: env.int(30, { min: 1 }),
  /** Payment provider webhooks per window from one address (providers send from a few). */
  RATE_LIMIT_WEBHOOKS_PER_ADDRESS: env.int(20_000, { min: 1 }),
  /** Image uploads per window from one client address, and from one signed-in user (each is CPU work for the media worker). */
  RATE_LIMIT_UPLOADS_PER_ADDRESS: env.int(120, { min: 1 }),
  RATE_LIMIT_UPLOADS_PER_USER: env.int(60, { min: 1 }),
  SHUTDOWN_TIMEOUT_MS: env.int(15_000, { min: 100, max: 120_000 }),
  SHUTDOWN_DRAIN_DELAY_MS: env.int(0, { min: 0, max: 60_000 }),
});

export type GatewayConfig = z.output<typeof configSchema>;
