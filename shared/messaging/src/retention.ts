import { sql } from 'drizzle-orm';
import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import { pruneDeadLetters } from './dead-letters.ts';
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

/**
 * Runs the prunes a minute after start, then every `everyMs`, in this process:
 * outbox and inbox rows, and (when `deadLetters` is given) the consumer's dead
 * letters older than their own retention.
 */
export function schedulePruning(options: {
  database: Database<Record<string, unknown>>;
  /** Outbox and inbox tables to prune, unless another process (a job scheduler) does. */
  tables: Pick<MessagingTables, 'outbox' | 'inbox'> | undefined;
  retentionHours: number;
  logger: Logger;
  everyMs?: number;
  deadLetters?: { amqp: AmqpConnection; prefix: string; consumer: string; retentionHours: number };
}): { stop(): void } {
  const { logger, deadLetters } = options;
  const run = async () => {
    if (options.tables) {
      try {
        const deleted = await pruneMessagingTables(options.database, options.tables, options.retentionHours);
        if (deleted.outbox + deleted.inbox > 0) logger.info({ deleted }, 'pruned old outbox and inbox rows');
      } catch (error) {
        logger.warn({ err: error }, 'pruning outbox and inbox failed; will try again');
      }
    }
    if (!deadLetters?.amqp.isConnected) return;
    try {
      await pruneDeadLetters(deadLetters.amqp, {
        prefix: deadLetters.prefix,
        consumer: deadLetters.consumer,
        olderThanMs: deadLetters.retentionHours * 3_600_000,
        onDrop: (letter) => logger.warn({ deadLetter: letter }, 'dropped a dead letter past its retention'),
      });
    } catch (error) {
      logger.warn({ err: error }, 'pruning dead letters failed; will try again');
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
