import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { DbExecutor } from '@twenny/messaging';
import { pruneMessagingTables } from '@twenny/messaging';
import * as schema from '../db/schema.ts';
import { pruneKeys } from '../db/idempotency-store.ts';
import { expireOverdueHolds, expireReservation } from '../use-cases/expire-reservation.ts';
import { orderJobNames, type OrderJobData, type OrderJobName } from './job-types.ts';

export type JobHandlers = { [N in OrderJobName]: (data: OrderJobData<N>) => Promise<unknown> };

/** A hold's timer fired a little before the database's clock says it is over: BullMQ tries again shortly. */
export class NotDueYetError extends Error {}

export function createJobHandlers(deps: { database: Database<Record<string, unknown>>; logger: Logger }): JobHandlers {
  const db = deps.database.db as unknown as DbExecutor;
  return {
    'prune-messaging-tables': async ({ retentionHours }) => {
      const deleted = await pruneMessagingTables(deps.database, schema, retentionHours);
      const keys = await pruneKeys(db, retentionHours);
      if (deleted.outbox + deleted.inbox + keys > 0) deps.logger.info({ deleted: { ...deleted, idempotencyKeys: keys } }, 'pruned old outbox and inbox rows');
      return { ...deleted, idempotencyKeys: keys };
    },
    'expire-reservation': async ({ reservationId }) => {
      const outcome = await expireReservation(db, reservationId);
      if (outcome === 'not-due') throw new NotDueYetError(`hold ${reservationId} is not over yet by the database's clock`);
      return outcome;
    },
    'sweep-expired-holds': async () => {
      let released = 0;
      // A second of grace leaves on-time holds to their own timers.
      for (let batch; (batch = await expireOverdueHolds(db, { limit: 200, graceMs: 1000 })) > 0; ) released += batch;
      if (released > 0) deps.logger.info({ released }, 'released holds whose timer was lost');
      return { released };
    },
  };
}

/** The start-up completeness check: a job name without a handler stops the worker. */
export function assertEveryJobHasAHandler(handlers: Record<string, unknown>): void {
  const missing = orderJobNames.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}
