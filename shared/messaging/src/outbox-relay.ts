import { and, inArray, isNull, lte, sql } from 'drizzle-orm';
import { SpanKind } from '@opentelemetry/api';
import type { ConfirmChannel, Message } from 'amqplib';
import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import { outboxChannel } from './outbox.ts';
import type { OutboxTable } from './tables.ts';
import { currentTraceHeaders, inSpanFrom } from './trace-context.ts';

export interface OutboxRelayOptions {
  database: Database<Record<string, unknown>>;
  table: OutboxTable;
  amqp: AmqpConnection;
  exchange: string;
  logger: Logger;
  /** Types someone subscribes to: for them an unroutable message is an error. */
  hasSubscribers: (type: string) => boolean;
  batchSize?: number;
  /** Fallback when a NOTIFY is missed; also picks up rows whose backoff ran out. */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  confirmTimeoutMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Publishes one batch; returns how many rows it claimed. Exposed for tests and benchmarks. */
  publishBatch(): Promise<number>;
}

type Row = OutboxTable['$inferSelect'];
type Outcome = { seq: number; ok: true } | { seq: number; ok: false; error: string; attempts: number };

/**
 * Publishes committed outbox rows on a confirm channel. Rows are claimed with
 * FOR UPDATE SKIP LOCKED inside a transaction that stays open until the broker has
 * confirmed them, so several relays never publish a row twice in the normal path;
 * a crash between confirm and commit republishes, which consumers' inboxes absorb.
 * A failing row is retried with backoff and its error recorded; it is never parked.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, table, amqp, exchange, logger, hasSubscribers } = options;
  const batchSize = options.batchSize ?? 200;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const notifyChannel = outboxChannel(table);

  let channel: ConfirmChannel | undefined;
  let returned = new Set<string>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let unlisten: (() => Promise<void>) | undefined;

  function wake() {
    woken = true;
    wakeUp?.();
  }

  async function openChannel(): Promise<ConfirmChannel> {
    if (channel) return channel;
    if (!amqp.isConnected) throw new Error('not connected to the broker');
    const opening = amqp.model.createConfirmChannel();
    const opened = await withTimeout(opening, confirmTimeoutMs, 'opening a channel').catch((error) => {
      // If it opens later, do not leak it.
      void opening.then((late) => late.close()).catch(() => undefined);
      throw error;
    });
    opened.on('return', (message: Message) => {
      if (message.properties.messageId) returned.add(String(message.properties.messageId));
    });
    opened.on('close', () => {
      if (channel === opened) channel = undefined;
    });
    opened.on('error', (error: Error) => logger.warn({ err: error }, 'outbox relay channel error'));
    channel = opened;
    return opened;
  }

  function publishRow(ch: ConfirmChannel, row: Row): Promise<void> {
    const envelope = row.envelope as { source: string; time: string };
    return inSpanFrom(row.headers, `${row.type} publish`, SpanKind.PRODUCER, { 'messaging.system': 'rabbitmq', 'messaging.destination.name': exchange, 'messaging.message.id': row.messageId }, () =>
      new Promise<void>((resolve, reject) => {
        ch.publish(
          exchange,
          row.type,
          Buffer.from(JSON.stringify(row.envelope)),
          {
            persistent: true,
            mandatory: true,
            messageId: row.messageId,
            type: row.type,
            appId: envelope.source,
            contentType: 'application/json',
            timestamp: Math.floor(Date.parse(envelope.time) / 1000),
            correlationId: row.headers.correlationId,
            headers: currentTraceHeaders(),
          },
          (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
        );
      }),
    );
  }

  async function publishAll(ch: ConfirmChannel, rows: Row[]): Promise<Outcome[]> {
    returned = new Set();
    const settled = await withTimeout(
      Promise.allSettled(rows.map((row) => publishRow(ch, row))),
      confirmTimeoutMs,
      'waiting for publisher confirms',
    ).catch(() => undefined);
    return rows.map((row, index) => {
      const result = settled?.[index];
      if (!result) return { seq: row.seq, ok: false, error: 'no confirm from the broker in time', attempts: row.attempts + 1 };
      if (result.status === 'rejected') return { seq: row.seq, ok: false, error: `broker refused: ${String(result.reason?.message ?? result.reason)}`, attempts: row.attempts + 1 };
      if (returned.has(row.messageId) && hasSubscribers(row.type)) {
        return { seq: row.seq, ok: false, error: `unroutable: no queue is bound for ${row.type} on ${exchange}`, attempts: row.attempts + 1 };
      }
      return { seq: row.seq, ok: true };
    });
  }

  function backoffMs(attempts: number): number {
    const base = Math.min(maxBackoffMs, 500 * 2 ** Math.min(attempts - 1, 16));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  async function publishBatch(): Promise<number> {
    // No channel, no claim: an unreachable broker must not cost rows their attempts.
    const ch = await openChannel();
    return database.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(table)
        .where(and(isNull(table.publishedAt), lte(table.availableAt, sql`now()`)))
        .orderBy(table.seq)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;

      const outcomes = await publishAll(ch, rows);
      const published = outcomes.filter((o) => o.ok).map((o) => o.seq);
      if (published.length > 0) {
        await tx.update(table).set({ publishedAt: sql`now()`, attempts: sql`${table.attempts} + 1`, lastError: null }).where(inArray(table.seq, published));
      }
      for (const outcome of outcomes) {
        if (outcome.ok) continue;
        await tx
          .update(table)
          .set({ attempts: outcome.attempts, lastError: outcome.error, availableAt: sql`now() + ${backoffMs(outcome.attempts)} * interval '1 millisecond'` })
          .where(inArray(table.seq, [outcome.seq]));
      }
      const failed = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
      if (failed.length > 0) {
        const worst = Math.max(...failed.map((o) => o.attempts));
        logger[worst >= 5 ? 'error' : 'warn']({ failed: failed.length, attempts: worst, error: failed[0]!.error }, 'outbox rows not published; will retry');
      }
      return rows.length;
    });
  }

  async function sleepUntilWoken(ms: number) {
    if (woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
  }

  async function run() {
    let idleBackoff = 0;
    while (running) {
      woken = false;
      let claimed = 0;
      try {
        claimed = await publishBatch();
        idleBackoff = 0;
      } catch (error) {
        idleBackoff = Math.min(5_000, idleBackoff ? idleBackoff * 2 : 200);
        logger.warn({ err: error, retryInMs: idleBackoff }, 'outbox relay failed a batch');
      }
      if (!running) break;
      if (idleBackoff) await sleepUntilWoken(idleBackoff);
      else if (claimed < batchSize) await sleepUntilWoken(pollIntervalMs);
    }
  }

  return {
    publishBatch,
    async start() {
      if (running) return;
      running = true;
      const listening = await database.sql.listen(notifyChannel, wake, wake);
      unlisten = listening.unlisten;
      loop = run();
    },
    async stop() {
      if (!running) return;
      running = false;
      wake();
      await loop;
      await unlisten?.().catch(() => undefined);
      await channel?.close().catch(() => undefined);
      channel = undefined;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out ${what} after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
