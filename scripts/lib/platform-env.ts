/**
 * What each process of `npm start` is told beyond the shared environment, so
 * that one platform agrees with itself: its ports (all shifted by
 * PLATFORM_PORT_OFFSET, so a second platform, the browser tests' say, can run
 * beside the first), the database it was provisioned in, and one public origin
 * (the site) for sign-in, mail links and payment returns.
 */
import { platformProcesses, type PlatformProcess } from './platform-processes.ts';

export interface PlatformLayout {
  offset: number;
  databaseName: string;
  /** Where people's browsers reach the site. */
  siteUrl: string;
  gatewayUrl: string;
}

export function platformLayout(env: NodeJS.ProcessEnv): PlatformLayout {
  const offset = Number(env.PLATFORM_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 20_000) throw new Error(`PLATFORM_PORT_OFFSET must be a whole number from 0 to 20000, not "${env.PLATFORM_PORT_OFFSET}"`);
  return {
    offset,
    databaseName: env.DATABASE_NAME ?? 'twenny',
    siteUrl: env.PUBLIC_SITE_URL ?? `http://127.0.0.1:${3000 + offset}`,
    gatewayUrl: `http://127.0.0.1:${8080 + offset}`,
  };
}

export const portOf = (process: PlatformProcess, layout: PlatformLayout) => process.port + layout.offset;

const databaseRoleOf: Record<string, string> = { auth: 'twenny_auth', catalog: 'twenny_catalog', orders: 'twenny_orders', 'order-worker': 'twenny_orders', media: 'twenny_media', 'media-worker': 'twenny_media' };

export function processEnv(process: PlatformProcess, layout: PlatformLayout, env: NodeJS.ProcessEnv): Record<string, string> {
  const port = (base: number) => base + layout.offset;
  const site = new URL(layout.siteUrl);
  // The same site by its other loopback name: people type either.
  const sameSite = site.hostname === '127.0.0.1' ? `http://localhost:${site.port}` : site.hostname === 'localhost' ? `http://127.0.0.1:${site.port}` : undefined;
  const service = process.workerOf ? platformProcesses.find((p) => p.name === process.workerOf)! : process;
  const common: Record<string, string> = {
    PORT: String(portOf(service, layout)),
    // Workers serve their health on WORKER_PORT.
    ...(process.workerOf && { WORKER_PORT: String(portOf(process, layout)) }),
    AUTH_JWKS_URL: `http://127.0.0.1:${port(4001)}/api/auth/jwks`,
  };
  const role = databaseRoleOf[process.name];
  if (role && !env.DATABASE_URL) common.DATABASE_URL = `postgres://${role}:${role}@127.0.0.1:5432/${layout.databaseName}`;
  switch (process.name) {
    case 'site':
      // adapter-node refuses bodies over 512 KB by default: image uploads pass through the site's /api proxy.
      // ORIGIN: adapter-node would otherwise assume https, and refuse every form post as cross-site.
      return { ...common, HOST: '0.0.0.0', ORIGIN: layout.siteUrl, GATEWAY_URL: layout.gatewayUrl, BODY_SIZE_LIMIT: env.BODY_SIZE_LIMIT ?? '33M' };
    case 'auth':
      return {
        ...common,
        SEED_DEMO_ACCOUNTS: env.SEED_DEMO_ACCOUNTS ?? 'true',
        AUTH_BASE_URL: env.AUTH_BASE_URL ?? layout.siteUrl,
        AUTH_TRUSTED_ORIGINS: env.AUTH_TRUSTED_ORIGINS ?? sameSite ?? '',
      };
    case 'orders':
    case 'order-worker':
      return { ...common, PUBLIC_SITE_URL: layout.siteUrl, PAYMENT_PAGE_BASE_URL: env.PAYMENT_PAGE_BASE_URL ?? layout.siteUrl };
    case 'gateway':
      return {
        ...common,
        AUTH_SERVICE_URL: `http://127.0.0.1:${port(4001)}`,
        CATALOG_SERVICE_URL: `http://127.0.0.1:${port(4002)}`,
        ORDER_SERVICE_URL: `http://127.0.0.1:${port(4003)}`,
        MEDIA_SERVICE_URL: `http://127.0.0.1:${port(4004)}`,
      };
    default:
      return common;
  }
}
