import { fileURLToPath } from 'node:url';
import type { Logger } from '@twenny/logger';
import { startService } from '@twenny/service-kit';
import type { configSchema } from './config.ts';
import * as schema from './db/schema.ts';

export const serviceName = 'catalog-service';

/** catalog-service: events, ticket types, search (routes arrive with the catalog issue). Tests start it in-process with their own config. */
export function startCatalogService(config: ReturnType<typeof configSchema.parse>, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'catalog',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: [],
      routes: () => {},
    },
    options,
  );
}
