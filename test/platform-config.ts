/**
 * What every process of the platform needs, for the tests that check deployment
 * files (compose, Kubernetes) and the README against it.
 */
import { configSchema as authConfigSchema } from '../auth-service/src/config.ts';
import { configSchema as catalogConfigSchema } from '../catalog-service/src/config.ts';
import { configSchema as gatewayConfigSchema } from '../gateway/src/config.ts';
import { configSchema as mediaConfigSchema, workerConfigSchema as mediaWorkerConfigSchema } from '../media-service/src/config.ts';
import { configSchema as orderConfigSchema, workerConfigSchema } from '../order-service/src/config.ts';

/** The name (compose service, Deployment, image) of each process of scripts/lib/platform-processes.ts. */
export const deployedNameOf: Record<string, string> = {
  auth: 'auth-service',
  catalog: 'catalog-service',
  orders: 'order-service',
  'order-worker': 'order-worker',
  media: 'media-service',
  'media-worker': 'media-worker',
  gateway: 'gateway',
  site: 'frontend',
};

/** The SvelteKit site: configured without a zod schema. */
export const frontend = 'frontend';

/** The structural part of a zod object schema these tests use. */
export interface ConfigSchema {
  shape: Record<string, { safeParse(input: unknown): { success: boolean; data?: unknown } }>;
  safeParse(input: unknown):
    | { success: true; data: Record<string, unknown> }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Each back-end process's config schema, by deployed name. */
export const configSchemaOf: Record<string, ConfigSchema> = {
  'auth-service': authConfigSchema,
  'catalog-service': catalogConfigSchema,
  'order-service': orderConfigSchema,
  'order-worker': workerConfigSchema,
  'media-service': mediaConfigSchema,
  'media-worker': mediaWorkerConfigSchema,
  gateway: gatewayConfigSchema,
};

/**
 * Public addresses, not connections: the origin people's browsers use (the site,
 * and the payment page reached through it) and the issuer named in tokens.
 * localhost is right for a local compose stack; a cluster sets its own (k8s.test.ts
 * checks).
 */
export const publicOriginVariable = /^(AUTH_BASE_URL|AUTH_JWT_ISSUER|PUBLIC_SITE_URL|PAYMENT_PAGE_BASE_URL)$/;

/** Connections every process must be given explicitly when deployed: their defaults are localhost. */
export const connectionVariable = /^(DATABASE_URL|AMQP_URL|REDIS_URL|[A-Z]+_SERVICE_URL)$/;
export const loopbackHost = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1|0\.0\.0\.0)$/i;
