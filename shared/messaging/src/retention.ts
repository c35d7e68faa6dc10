import { sql } from 'drizzle-orm';
import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { MessagingTables } from './tables.ts';

/**
 * Deletes published outbox rows and inbox rows older than the retention period,
 * in batches so no long lock is taken. Unpublished outbox rows are never deleted.
 * An inbox row must outlive any plausible redelivery of its message: keep days.
 */
export async function pruneMessagingTables(
  database: Database<Record<string, unknown>>,
  tables: Pick<MessagingTables, 'outbox' | 'inbox'>,
  retentionHours: number,
  batchSize = 5_000,
): Promise<{ outbox: number; inbox: number }> {
  const cutoff = sql`now() - ${retentionHours} * interval '1 hour'`;
  const { outbox, inbox } = tables;
  const deleteBatch = async (query: ReturnType<typeof sql>) => {
    let total = 0;
    for (;;) {
      const result = (await database.db.execute(query)) as unknown as { count: number };
      total += result.count;
      if (result.count < batchSize) return total;
    }
  };
  const outboxDeleted = await deleteBatch(
    sql`delete from ${outbox} where ctid in (select ctid from ${outbox} where ${outbox.publishedAt} is not null and ${outbox.publishedAt} < ${cutoff} limit ${batchSize})`,
  );
  const inboxDeleted = await deleteBatch(
    sql`delete from ${inbox} where ctid in (select ctid from ${inbox} where ${inbox.receivedAt} < ${cutoff} limit ${batchSize})`,
  );
  return { outbox: outboxDeleted, inbox: inboxDeleted };
}

/** Runs the prune a minute after start, then every `everyMs`, in this process. */
export function schedulePruning(options: {
  database: Database<Record<string, unknown>>;
  tables: Pick<MessagingTables, 'outbox' | 'inbox'>;
  retentionHours: number;
  logger: Logger;
  everyMs?: number;
}): { stop(): void } {
  const run = async () => {
    try {
      const deleted = await pruneMessagingTables(options.database, options.tables, options.retentionHours);
      if (deleted.outbox + deleted.inbox > 0) options.logger.info({ deleted }, 'pruned old outbox and inbox rows');
    } catch (error) {
      options.logger.warn({ err: error }, 'pruning outbox and inbox failed; will try again');
    }
  };
  // Soon after start too: a process that restarts more often than hourly still prunes.
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, options.everyMs ?? 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
