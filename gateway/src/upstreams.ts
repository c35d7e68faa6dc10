import type { GatewayConfig } from './config.ts';

/** The services behind the gateway, by the name used in routes and health output. */
export function upstreams(config: GatewayConfig) {
  return {
    auth: config.AUTH_SERVICE_URL,
    catalog: config.CATALOG_SERVICE_URL,
    order: config.ORDER_SERVICE_URL,
    media: config.MEDIA_SERVICE_URL,
  } as const;
}

export type Upstreams = ReturnType<typeof upstreams>;
