import { connectDatabase } from '@twenny/db';
import type { Lifecycle } from '@twenny/lifecycle';
import type { DbExecutor } from '@twenny/messaging';
import type { OrderConfig } from '../config.ts';

/**
 * The pool that holds and releases tickets: its connections commit without
 * waiting for the WAL flush (ORDER_HOLDS_ASYNC_COMMIT, see config.ts), so the
 * hot inventory row's lock lasts the statement, not a disk write. Undefined
 * when turned off: the main pool does everything.
 */
export function connectHoldsDatabase(config: OrderConfig, name: string, lifecycle: Lifecycle): DbExecutor | undefined {
  if (!config.ORDER_HOLDS_ASYNC_COMMIT) return undefined;
  const database = connectDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE, applicationName: `${name}-holds`, settings: { synchronous_commit: 'off' } });
  lifecycle.onStop('holds database pool', () => database.close(), 'connections');
  return database.db as unknown as DbExecutor;
}
