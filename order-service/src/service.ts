import { fileURLToPath } from 'node:url';
import type { Logger } from '@twenny/logger';
import { startService } from '@twenny/service-kit';
import type { configSchema } from './config.ts';
import * as schema from './db/schema.ts';

export const serviceName = 'order-service';

/** order-service: inventory, holds, orders, tickets (routes arrive with the orders issue). Tests start it in-process with their own config. */
export function startOrderService(config: ReturnType<typeof configSchema.parse>, options: { handleSignals?: boolean; logger?: Logger } = {}) {
  return startService(
    {
      name: serviceName,
      config,
      dbSchema: 'orders',
      schema,
      tables: schema,
      migrationsFolder: fileURLToPath(new URL('../migrations', import.meta.url)),
      handlers: [],
      routes: () => {},
    // The worker process prunes outbox and inbox rows on a BullMQ schedule.
    pruneInProcess: false,
    },
    options,
  );
}
