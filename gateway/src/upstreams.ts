import type { GatewayConfig } from './config.ts';

/** The services behind the gateway, by the name used in routes and health output. */
export function upstreams(config: Pick<GatewayConfig, 'AUTH_SERVICE_URL' | 'CATALOG_SERVICE_URL' | 'ORDER_SERVICE_URL' | 'MEDIA_SERVICE_URL'>) {
  return {
    auth: config.AUTH_SERVICE_URL,
    catalog: config.CATALOG_SERVICE_URL,
    order: config.ORDER_SERVICE_URL,
    media: config.MEDIA_SERVICE_URL,
  } as const;
}

export type Upstreams = { readonly [name in UpstreamName]: string };
export const upstreamNames = ['auth', 'catalog', 'order', 'media'] as const;
export type UpstreamName = (typeof upstreamNames)[number];

/** How the service is called in messages people read ("the auth service is unavailable"). */
export function serviceLabel(name: UpstreamName): string {
  return `${name} service`;
}
