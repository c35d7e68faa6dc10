import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import type { Envelope, MessageContract, MessageData } from '@twenny/contracts';
import type { Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import type { DbExecutor } from './db-types.ts';
import type { InboxTable } from './tables.ts';
import { topologyNames } from './topology.ts';
import { attemptHeader, createMessageApplier, type Outcome } from './message-applier.ts';

export interface MessageHandler<C extends MessageContract = MessageContract> {
  contract: C;
  /**
   * Runs inside the transaction that also records the message in the inbox, often
   * with other messages of the same batch. Its effects belong in that transaction:
   * if the batch rolls back, it runs again, alone.
   */
  handle(message: Envelope<MessageData<C>>, tx: DbExecutor, meta: { logger: Logger; attempt: number }): Promise<void>;
}

/** Keeps each handler's message type and data type together. */
export function handlerFor<C extends MessageContract>(contract: C, handle: MessageHandler<C>['handle']): MessageHandler {
  return { contract, handle } as unknown as MessageHandler;
}

export interface ConsumerOptions {
  /** The consuming service: names its queue and its inbox rows. */
  name: string;
  amqp: AmqpConnection;
  database: Database<Record<string, unknown>>;
  inbox: InboxTable;
  handlers: MessageHandler[];
  /** The subscription table: the handlers must cover exactly this consumer's types. */
  subscriptions: Record<string, readonly string[]>;
  prefix: string;
  logger: Logger;
  prefetch: number;
  /** Handling attempts before a failing message is dead-lettered. */
  maxAttempts: number;
  retryDelaysMs: readonly number[];
  /** Called after each message is settled (its transaction committed, or it was moved): metrics, benchmarks. */
  onSettled?: (outcome: { messageId: string | undefined; result: 'handled' | 'duplicate' | 'retry' | 'dead-letter' }) => void;
}

export interface Consumer {
  start(): Promise<void>;
  /** Stops taking messages and waits for those in hand to finish. */
  stop(): Promise<void>;
  readonly inFlight: number;
  /** False while its channel is being reopened (readiness). */
  readonly isConsuming: boolean;
}

export const failureHeaders = {
  attempt: attemptHeader,
  error: 'x-twenny-error',
  failedAt: 'x-twenny-failed-at',
  queue: 'x-twenny-queue',
} as const;

/** The start-up completeness check: a subscribed type without a handler, or a handler nobody routes to, stops the start. */
export function checkHandlersCoverSubscriptions(name: string, handlers: MessageHandler[], subscriptions: Record<string, readonly string[]>) {
  const subscribed = new Set(subscriptions[name] ?? []);
  const handled = new Set(handlers.map((h) => h.contract.type));
  const missing = [...subscribed].filter((type) => !handled.has(type));
  const unrouted = [...handled].filter((type) => !subscribed.has(type));
  if (missing.length > 0 || unrouted.length > 0 || handled.size !== handlers.length) {
    throw new Error(
      `${name}: handlers and subscription table disagree` +
        (missing.length ? `; no handler for ${missing.join(', ')}` : '') +
        (unrouted.length ? `; not subscribed to ${unrouted.join(', ')}` : '') +
        (handled.size !== handlers.length ? '; two handlers for one type' : ''),
    );
  }
}

/** One consume channel and the confirm channel its retry and dead-letter copies go out on. */
interface Session {
  channel: Channel;
  republish: ConfirmChannel;
  /** Copies the broker returned (no such queue), by copy id. */
  returned: Set<string>;
  consumerTag: string | undefined;
  closed: boolean;
}

/** A delivery waiting for its batch, with the trace context it arrived in. */
interface Delivery {
  session: Session;
  message: ConsumeMessage;
  context: Context;
}

/** Marks a retry/dead-letter copy so a return can be matched to it. */
const copyHeader = 'x-twenny-copy-id';

/**
 * Consumes a service's queue. Each message is applied in the same transaction as
 * its inbox row (deliveries that arrive together share one; see message-applier.ts),
 * then acked: a duplicate finds its inbox row and is acked and skipped; a crash
 * before the ack redelivers it. Malformed messages are dead-lettered at once;
 * failing ones are retried through delay queues, then dead-lettered with the error
 * recorded in their headers. A lost channel or a broker cancel is reopened.
 */
export function createConsumer(options: ConsumerOptions): Consumer {
  const { name, amqp, database, inbox, logger, prefetch, maxAttempts, retryDelaysMs } = options;
  checkHandlersCoverSubscriptions(name, options.handlers, options.subscriptions);
  const handlers = new Map(options.handlers.map((h) => [h.contract.type, h]));
  const names = topologyNames(options.prefix);
  const queue = names.queue(name);

  let stopped = false;
  let session: Session | undefined;
  let opening: Promise<void> | undefined;
  let reopenTimer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const applier = createMessageApplier({ name, queue, handlers, database, inbox, logger, maxAttempts });
  // Deliveries that arrive together are applied together: one commit for the batch.
  // One batch at a time: two concurrent batches touching the same rows in another
  // order would deadlock each other.
  const waiting: Delivery[] = [];
  let flushScheduled = false;
  let batchRunning = false;
  let reopenDelayMs = 1_000;
  let stopping: Promise<void> | undefined;

  /** Stores a retry or dead-letter copy; resolves only once the broker has it in a queue. */
  function storeCopy(current: Session, target: string, message: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
    const copyId = randomUUID();
    return new Promise<void>((resolve, reject) => {
      current.republish.sendToQueue(
        target,
        message.content,
        { ...message.properties, headers: { ...headers, [copyHeader]: copyId }, persistent: true, mandatory: true },
        (err) => {
          if (err) return reject(err instanceof Error ? err : new Error(String(err)));
          // A return comes before the confirm: the target queue does not exist.
          if (current.returned.delete(copyId)) return reject(new Error(`queue ${target} does not exist`));
          resolve();
        },
      );
    });
  }

  async function settle(current: Session, message: ConsumeMessage, outcome: Outcome) {
    if (typeof outcome === 'object') {
      const target = 'retry' in outcome ? names.retryQueue(name, retryDelaysMs[Math.min(outcome.attempt - 1, retryDelaysMs.length - 1)]!) : names.deadLetterQueue(name);
      const error = 'retry' in outcome ? outcome.retry : outcome.deadLetter;
      const headers = {
        ...message.properties.headers,
        [failureHeaders.attempt]: outcome.attempt,
        [failureHeaders.error]: error.slice(0, 2000),
        [failureHeaders.failedAt]: new Date().toISOString(),
        [failureHeaders.queue]: queue,
      };
      // The copy must be safely stored before the original is acked.
      await storeCopy(current, target, message, headers);
    }
    current.channel.ack(message);
    options.onSettled?.({
      messageId: message.properties.messageId ? String(message.properties.messageId) : undefined,
      result: typeof outcome === 'string' ? outcome : 'retry' in outcome ? 'retry' : 'dead-letter',
    });
  }

  function onMessage(current: Session, message: ConsumeMessage) {
    inFlight++;
    // Each delivery keeps the trace context it arrived in (the instrumentation's span).
    waiting.push({ session: current, message, context: context.active() });
    if (!flushScheduled) {
      flushScheduled = true;
      // After this read's deliveries have all arrived; in no delivery's context.
      context.with(ROOT_CONTEXT, () => setImmediate(flush));
    }
  }

  function flush() {
    flushScheduled = false;
    if (batchRunning || waiting.length === 0) return;
    // Deliveries of a channel that has closed will come again: do not apply them now.
    const batch = waiting.splice(0, Math.max(1, prefetch)).filter((item) => {
      if (!item.session.closed) return true;
      release();
      return false;
    });
    if (batch.length === 0) return flush();
    batchRunning = true;
    void applyBatch(batch).finally(() => {
      batchRunning = false;
      flush();
    });
  }

  async function applyBatch(batch: Delivery[]) {
    let outcomes: Outcome[] | undefined;
    try {
      outcomes = await applier.apply(batch.map((item) => ({ message: item.message, context: item.context })));
    } catch (error) {
      logger.error({ err: error }, 'could not apply a batch of messages');
    }
    await Promise.all(batch.map(({ session: current, message }, index) => settleOrReturn(current, message, outcomes?.[index])));
  }

  function release() {
    inFlight--;
    if (inFlight === 0) drained?.();
  }

  async function settleOrReturn(current: Session, message: ConsumeMessage, outcome: Outcome | undefined) {
    try {
      if (!outcome) throw new Error('no outcome');
      await settle(current, message, outcome);
    } catch (error) {
      // Not settled (the copy was refused, or the channel is gone). Hand it back now
      // if the channel lives; otherwise the broker redelivers it. The inbox absorbs
      // any repeat, and the queue's delivery limit bounds a message that never settles.
      logger.warn({ err: error, messageId: message.properties.messageId }, 'message not settled; returned to the queue');
      if (!current.closed) {
        try {
          current.channel.nack(message, false, true);
        } catch {
          // the channel closed meanwhile: redelivered anyway
        }
      }
    } finally {
      release();
    }
  }

  function close(current: Session) {
    current.closed = true;
    void current.channel.close().catch(() => undefined);
    void current.republish.close().catch(() => undefined);
  }

  /** A channel closed or the broker cancelled us while the connection may still be up. */
  function lost(current: Session, why: string) {
    if (current.closed) return;
    close(current);
    if (session === current) session = undefined;
    if (stopped) return;
    logger.warn({ queue, why, retryInMs: reopenDelayMs }, 'consumer lost its channel; reopening');
    scheduleReopen();
  }

  function scheduleReopen() {
    if (reopenTimer || stopped) return;
    const delayMs = reopenDelayMs;
    // Backs off while reopening keeps failing (a deleted queue); reset once consuming.
    reopenDelayMs = Math.min(reopenDelayMs * 2, 30_000);
    reopenTimer = setTimeout(() => {
      reopenTimer = undefined;
      // With the connection down, the reconnect's setup reopens instead.
      const model = amqp.channelModel;
      if (!model || stopped) return;
      ensureSession(model).catch((error) => {
        logger.warn({ err: error, retryInMs: reopenDelayMs }, 'could not reopen the consumer; will retry');
        scheduleReopen();
      });
    }, delayMs);
    reopenTimer.unref();
  }

  async function openSession(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    const republish = await model.createConfirmChannel().catch((error: unknown) => {
      void channel.close().catch(() => undefined);
      throw error;
    });
    const current: Session = { channel, republish, returned: new Set(), closed: false, consumerTag: undefined };
    republish.on('return', (returned: Message) => {
      const id = returned.properties.headers?.[copyHeader];
      if (typeof id === 'string') current.returned.add(id);
    });
    channel.on('error', (error: Error) => logger.warn({ err: error }, 'consumer channel error'));
    republish.on('error', (error: Error) => logger.warn({ err: error }, 'consumer republish channel error'));
    channel.on('close', () => lost(current, 'consume channel closed'));
    republish.on('close', () => lost(current, 'republish channel closed'));
    if (stopped) return close(current);
    await channel.prefetch(prefetch);
    const reply = await channel.consume(queue, (message) => (message ? onMessage(current, message) : lost(current, 'cancelled by the broker')), { noAck: false });
    current.consumerTag = reply.consumerTag;
    // stop() may have run while this was opening: do not resume behind its back.
    if (stopped) return close(current);
    session = current;
    reopenDelayMs = 1_000;
    logger.info({ queue, prefetch }, 'consuming');
  }

  /** Opens a session unless one is open or opening; serialised, so never two consumers. */
  async function ensureSession(model: ChannelModel): Promise<void> {
    while (!stopped && !(session && !session.closed)) {
      if (opening) {
        await opening.catch(() => undefined);
        continue;
      }
      opening = openSession(model).finally(() => (opening = undefined));
      await opening;
    }
  }

  return {
    get inFlight() {
      return inFlight;
    },
    get isConsuming() {
      return session !== undefined && !session.closed;
    },
    async start() {
      await amqp.onConnect((model) => ensureSession(model));
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearTimeout(reopenTimer);
        await opening?.catch(() => undefined);
        const current = session;
        if (current?.consumerTag && !current.closed) await current.channel.cancel(current.consumerTag).catch(() => undefined);
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        if (current) close(current);
        session = undefined;
      })();
      return stopping;
    },
  };
}
