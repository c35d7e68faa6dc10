import { fileURLToPath } from 'node:url';
import type { Logger } from '@twenny/logger';
import { startService } from '@twenny/service-kit';
import type { configSchema } from './config.ts';
import * as schema from './db/schema.ts';

export const serviceName = 'media-service';

/** media-service: uploaded images and their variants (routes arrive with the media issue). Tests start it in-process with their own config. */
export function startMediaService(config: ReturnType<typeof configSchema.parse>, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'media',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: [],
      routes: () => {},
    },
    options,
  );
}
