import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import { pruneMessagingTables } from '@twenny/messaging';
import * as schema from '../db/schema.ts';
import { orderJobNames, type OrderJobData, type OrderJobName } from './job-types.ts';

export type JobHandlers = { [N in OrderJobName]: (data: OrderJobData<N>) => Promise<unknown> };

export function createJobHandlers(deps: { database: Database<Record<string, unknown>>; logger: Logger }): JobHandlers {
  return {
    'prune-messaging-tables': async ({ retentionHours }) => {
      const deleted = await pruneMessagingTables(deps.database, schema, retentionHours);
      if (deleted.outbox + deleted.inbox > 0) deps.logger.info({ deleted }, 'pruned old outbox and inbox rows');
      return deleted;
    },
  };
}

/** The start-up completeness check: a job name without a handler stops the worker. */
export function assertEveryJobHasAHandler(handlers: Record<string, unknown>): void {
  const missing = orderJobNames.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}
