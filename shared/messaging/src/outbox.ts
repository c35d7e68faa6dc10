import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { context, propagation } from '@opentelemetry/api';
import type { Envelope, MessageContract, MessageData } from '@twenny/contracts';
import { logContext } from '@twenny/logger';
import type { DbExecutor } from './db-types.ts';
import type { OutboxTable } from './tables.ts';

export interface OutboxMessage<C extends MessageContract> {
  /** The aggregate the message is about (its id). */
  subject: string;
  /** The aggregate's version after this change. */
  version: number;
  data: MessageData<C>;
}

export interface Outbox {
  /** The NOTIFY channel the relay listens on. */
  readonly channel: string;
  /**
   * Writes a message in the caller's transaction: it is published if, and only
   * if, the state change it describes commits.
   */
  enqueue<C extends MessageContract>(tx: DbExecutor, contract: C, message: OutboxMessage<C>): Promise<Envelope<MessageData<C>>>;
  /**
   * The same message as one INSERT statement, for hot paths that write the state
   * change and its message in a single statement (a CTE), so the whole transaction
   * is one round trip; `when` makes the message conditional on the change:
   *
   *   const message = outbox.prepare(itemChanged, { subject, version, data });
   *   await db.execute(sql`with changed as (update ... returning id)
   *     ${message.statement({ when: sql`exists (select 1 from changed)` })}`);
   */
  prepare<C extends MessageContract>(contract: C, message: OutboxMessage<C>): PreparedMessage<MessageData<C>>;
}

export interface PreparedMessage<TData> {
  envelope: Envelope<TData>;
  statement(options?: { when?: SQL }): SQL;
}

/**
 * What an outbox row carries besides the envelope: the trace it was written in
 * and the request id (the AMQP correlation id). Writers that are not TypeScript
 * (auth-service's triggers) are handed the same through a setting.
 */
export function outboxHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  const requestId = logContext.getStore()?.requestId;
  if (requestId) headers.correlationId = requestId;
  return headers;
}

export function outboxChannel(table: OutboxTable): string {
  return `twenny_outbox_${getTableConfig(table).schema ?? 'public'}`;
}

/**
 * How often at most this process sends the relay's wake-up. NOTIFY serialises
 * the commits of every notifying transaction on a cluster-wide lock (each waits
 * for the previous one's WAL flush), capping them near 1,000/s; one NOTIFY per
 * interval keeps the wake-up without the cap. The relay keeps polling briskly
 * for a while after each wake-up or batch (its "hot" window, three times this
 * interval), so a row written without its own NOTIFY inside that window is picked
 * up as fast. The exception: if the transaction that carried the NOTIFY rolls
 * back (or a prepared statement's `when` matched nothing), rows of the next
 * interval wait for the relay's idle poll (1 s by default) unless another writer
 * wakes it. Late, never lost.
 */
export const notifyEveryMs = 100;

export function createOutbox(options: { table: OutboxTable; source: string; notifyEveryMs?: number }): Outbox {
  const { table, source } = options;
  const channel = outboxChannel(table);
  const everyMs = options.notifyEveryMs ?? notifyEveryMs;
  let lastNotifyAt = Number.NEGATIVE_INFINITY;

  function notifyDue(): boolean {
    const now = performance.now();
    if (now - lastNotifyAt < everyMs) return false;
    lastNotifyAt = now;
    return true;
  }

  function build<C extends MessageContract>(contract: C, message: OutboxMessage<C>) {
    // A publisher that breaks its own contract is a bug: fail the transaction.
    const data = contract.data.parse(message.data) as MessageData<C>;
    const envelope: Envelope<MessageData<C>> = {
      id: randomUUID(),
      type: contract.type,
      source,
      time: new Date().toISOString(),
      subject: message.subject,
      version: message.version,
      data,
    };
    return { envelope, headers: outboxHeaders() };
  }

  return {
    channel,
    async enqueue(tx, contract, message) {
      const { envelope, headers } = build(contract, message);
      await tx.insert(table).values({ messageId: envelope.id, type: envelope.type, envelope, headers });
      // Delivered at commit, so the relay wakes only for committed rows.
      if (notifyDue()) await tx.execute(sql`select pg_notify(${channel}, '')`);
      return envelope;
    },
    prepare(contract, message) {
      const { envelope, headers } = build(contract, message);
      const notify = notifyDue();
      return {
        envelope,
        statement: ({ when } = {}) =>
          sql`insert into ${table} (message_id, type, envelope, headers)
            select ${envelope.id}::uuid, ${envelope.type}, ${JSON.stringify(envelope)}::jsonb, ${JSON.stringify(headers)}::jsonb
            ${when ? sql`where ${when}` : sql``}
            returning ${notify ? sql`pg_notify(${channel}, '')` : sql`1`}`,
      };
    },
  };
}
