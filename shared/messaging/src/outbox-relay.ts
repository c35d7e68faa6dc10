import { inArray, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { ConfirmChannel, Message } from 'amqplib';
import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import { notifyEveryMs, outboxChannel } from './outbox.ts';
import type { OutboxTable } from './tables.ts';
import { currentTraceHeaders, inContextOf } from './trace-context.ts';

export interface OutboxRelayOptions {
  database: Database<Record<string, unknown>>;
  table: OutboxTable;
  amqp: AmqpConnection;
  exchange: string;
  logger: Logger;
  /** Types someone subscribes to: for them an unroutable message is an error. */
  hasSubscribers: (type: string) => boolean;
  batchSize?: number;
  /** Batches published and awaiting confirms at once (the broker confirms a quorum queue write in ~25 ms). */
  maxInFlightBatches?: number;
  /** Fallback when a NOTIFY is missed; also picks up rows whose backoff ran out. */
  pollIntervalMs?: number;
  /** After a wake-up or a batch, poll every hotPollMs for hotForMs (see notifyEveryMs). */
  hotPollMs?: number;
  hotForMs?: number;
  confirmTimeoutMs?: number;
  /** How long a claimed row is this relay's; a crashed relay's rows are retaken after it. */
  leaseMs?: number;
  maxBackoffMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /** Stops claiming, waits for batches in flight to be confirmed and recorded. */
  stop(): Promise<void>;
  /** Claims and publishes one batch; returns how many rows it claimed. For tests and tools. */
  publishBatch(): Promise<number>;
}

type Row = OutboxTable['$inferSelect'];
type Failure = { seq: number; error: string; attempts: number };

/**
 * Publishes committed outbox rows on a confirm channel.
 *
 * A batch is claimed with one statement that leases its rows (FOR UPDATE SKIP
 * LOCKED, then claimed_until), so several relays never publish a row twice in
 * the normal path and no transaction or pool connection is held while the broker
 * confirms. Batches are pipelined. A row is marked published only after its
 * confirm; a relay that dies mid-batch leaves leases that expire, and the rows
 * are published again (consumers' inboxes absorb the repeat). A failing row is
 * retried with backoff and its error recorded; it is never parked.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, table, amqp, exchange, logger, hasSubscribers } = options;
  const batchSize = options.batchSize ?? 200;
  const maxInFlight = options.maxInFlightBatches ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const hotPollMs = options.hotPollMs ?? 5;
  const maxHotPollMs = 20;
  const hotForMs = options.hotForMs ?? notifyEveryMs * 3;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? Math.max(30_000, confirmTimeoutMs * 3);
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const notifyChannel = outboxChannel(table);
  const qualified = sql.raw(`"${getTableConfig(table).schema}"."${getTableConfig(table).name}"`);

  let channel: ConfirmChannel | undefined;
  const returned = new Set<string>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let unlisten: (() => Promise<void>) | undefined;
  const inFlight = new Set<Promise<void>>();

  let brokerBack = false;

  function wake() {
    woken = true;
    wakeUp?.();
  }

  /** The broker came back or unblocked: ends an error backoff early, unlike a NOTIFY. */
  function brokerReady() {
    brokerBack = true;
    wake();
  }

  async function openChannel(): Promise<ConfirmChannel> {
    // Claiming while blocked would only pile messages up in the socket buffer.
    if (amqp.isBlocked) throw new Error('the broker is blocking publishers (memory or disk alarm)');
    if (channel) return channel;
    if (!amqp.isConnected) throw new Error('not connected to the broker');
    const opening = amqp.model.createConfirmChannel();
    const opened = await withTimeout(opening, confirmTimeoutMs, 'opening a channel').catch((error) => {
      void opening.then((late) => late.close()).catch(() => undefined); // if it opens later, do not leak it
      throw error;
    });
    // The broker returns an unroutable mandatory message before it confirms it.
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

  async function claim(): Promise<Row[]> {
    const rows = await database.db.execute(sql`
      update ${qualified} set claimed_until = now() + ${leaseMs} * interval '1 millisecond'
      where seq in (
        select seq from ${qualified}
        where published_at is null and available_at <= now() and (claimed_until is null or claimed_until < now())
        order by seq limit ${batchSize}
        for update skip locked)
      returning seq, message_id as "messageId", type, envelope, headers, attempts`);
    // postgres.js returns bigint as a string.
    return (rows as unknown as Row[]).map((row) => ({ ...row, seq: Number(row.seq) })).sort((a, b) => a.seq - b.seq);
  }

  function publishRow(ch: ConfirmChannel, row: Row): Promise<void> {
    const envelope = row.envelope as { source: string; time: string };
    return inContextOf(row.headers, () =>
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

  function backoffMs(attempts: number): number {
    const base = Math.min(maxBackoffMs, 500 * 2 ** Math.min(attempts - 1, 16));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Publishes claimed rows, then records each outcome; never throws. */
  async function publishAndRecord(ch: ConfirmChannel, rows: Row[]): Promise<void> {
    const settled = await withTimeout(Promise.allSettled(rows.map((row) => publishRow(ch, row))), confirmTimeoutMs, 'waiting for publisher confirms').catch(() => undefined);
    if (!settled && channel === ch) {
      // No confirms in time: start afresh rather than keep queueing on a stuck channel
      // (late returns of this channel must not fail the rows' next attempt either).
      channel = undefined;
      returned.clear();
      void ch.close().catch(() => undefined);
    }
    const published: number[] = [];
    const failed: Failure[] = [];
    rows.forEach((row, index) => {
      const result = settled?.[index];
      const wasReturned = returned.delete(row.messageId);
      const attempts = row.attempts + 1;
      if (!result) failed.push({ seq: row.seq, error: 'no confirm from the broker in time', attempts });
      else if (result.status === 'rejected') failed.push({ seq: row.seq, error: `broker refused: ${String(result.reason?.message ?? result.reason)}`, attempts });
      else if (wasReturned && hasSubscribers(row.type)) failed.push({ seq: row.seq, error: `unroutable: no queue is bound for ${row.type} on ${exchange}`, attempts });
      else published.push(row.seq);
    });
    try {
      if (published.length > 0) {
        await database.db
          .update(table)
          .set({ publishedAt: sql`now()`, claimedUntil: null, attempts: sql`${table.attempts} + 1`, lastError: null })
          .where(inArray(table.seq, published));
      }
      for (const failure of failed) {
        await database.db
          .update(table)
          .set({ attempts: failure.attempts, lastError: failure.error, claimedUntil: null, availableAt: sql`now() + ${backoffMs(failure.attempts)} * interval '1 millisecond'` })
          .where(inArray(table.seq, [failure.seq]));
      }
    } catch (error) {
      // The lease runs out and the rows are published again: a duplicate, never a loss.
      logger.warn({ err: error, rows: rows.length }, 'could not record publish results; the rows will be republished');
    }
    if (failed.length > 0) {
      const worst = Math.max(...failed.map((f) => f.attempts));
      logger[worst >= 5 ? 'error' : 'warn']({ failed: failed.length, attempts: worst, error: failed[0]!.error }, 'outbox rows not published; will retry');
    }
  }

  async function publishBatch(): Promise<number> {
    // No channel, no claim: an unreachable broker must not cost rows their attempts.
    const ch = await openChannel();
    const rows = await claim();
    if (rows.length > 0) await publishAndRecord(ch, rows);
    return rows.length;
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

  /** Waits out an error backoff; NOTIFYs do not cut it short (each would retry and warn), the broker's return does. */
  async function backOff(ms: number) {
    const until = performance.now() + ms;
    brokerBack = false;
    while (running && !brokerBack && performance.now() < until) {
      woken = false;
      await sleepUntilWoken(until - performance.now());
    }
  }

  function track(batch: Promise<void>) {
    inFlight.add(batch);
    void batch.finally(() => {
      inFlight.delete(batch);
      wake();
    });
  }

  async function run() {
    let idleBackoff = 0;
    let hotUntil = 0;
    let hotDelay = hotPollMs;
    while (running) {
      if (woken) {
        hotUntil = performance.now() + hotForMs;
        hotDelay = hotPollMs;
      }
      woken = false;
      if (inFlight.size >= maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      let claimed = 0;
      try {
        const ch = await openChannel();
        const rows = await claim();
        claimed = rows.length;
        if (claimed > 0) track(publishAndRecord(ch, rows));
        idleBackoff = 0;
      } catch (error) {
        idleBackoff = Math.min(5_000, idleBackoff ? idleBackoff * 2 : 200);
        logger.warn({ err: error, retryInMs: idleBackoff }, 'outbox relay cannot publish now');
      }
      if (!running) break;
      if (claimed > 0) {
        hotUntil = performance.now() + hotForMs;
        hotDelay = hotPollMs;
      }
      if (idleBackoff) await backOff(idleBackoff);
      else if (claimed >= batchSize) continue;
      else if (performance.now() < hotUntil) {
        // While writers are active (some of their rows come without a NOTIFY), poll
        // briskly, easing off while polls come back empty.
        await sleepUntilWoken(hotDelay);
        if (claimed === 0) hotDelay = Math.min(hotDelay * 2, maxHotPollMs);
      } else await sleepUntilWoken(pollIntervalMs);
    }
    await Promise.all(inFlight);
  }

  return {
    publishBatch,
    async start() {
      if (running) return;
      running = true;
      const listening = await database.sql.listen(notifyChannel, wake, wake);
      unlisten = listening.unlisten;
      // Rows written while the broker was away go out as soon as it is back.
      amqp.onReady(brokerReady);
      loop = run();
    },
    async stop() {
      if (!running) return;
      running = false;
      brokerReady();
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
