import { Pool } from 'undici';
import { upstreamNames, type UpstreamName, type Upstreams } from '../upstreams.ts';

export type UpstreamPools = Record<UpstreamName, Pool> & { close(): Promise<void> };

/**
 * One keep-alive pool per service (ceilings.md: undici.Pool is the fastest hop).
 * A refused or reset connection is dropped and the next request dials again, so
 * a service that comes back is used without restarting the gateway.
 */
export function createUpstreamPools(urls: Upstreams, options: { connections: number; connectTimeoutMs: number }): UpstreamPools {
  const pools = Object.fromEntries(
    upstreamNames.map((name) => [name, new Pool(new URL(urls[name]).origin, { connections: options.connections, connectTimeout: options.connectTimeoutMs, pipelining: 1 })]),
  ) as Record<UpstreamName, Pool>;
  return {
    ...pools,
    async close() {
      await Promise.all(Object.values(pools).map((pool) => pool.close().catch(() => pool.destroy())));
    },
  };
}
