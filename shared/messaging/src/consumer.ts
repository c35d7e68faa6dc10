import { randomUUID } from 'node:crypto';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { envelopeSchema, type Envelope, type MessageContract, type MessageData } from '@twenny/contracts';
import type { Database } from '@twenny/db';
import { currentTraceIds, describeError, logContext, type Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import type { DbExecutor } from './db-types.ts';
import { PermanentMessageError } from './errors.ts';
import type { InboxTable } from './tables.ts';
import { topologyNames } from './topology.ts';
import { inConsumerSpan } from './trace-context.ts';

export interface MessageHandler<C extends MessageContract = MessageContract> {
  contract: C;
  /** Runs inside the transaction that also records the message in the inbox. */
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
  attempt: 'x-twenny-attempt',
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

type Outcome = 'handled' | 'duplicate' | { retry: string; attempt: number } | { deadLetter: string; attempt: number };

/** One consume channel and the confirm channel its retry and dead-letter copies go out on. */
interface Session {
  channel: Channel;
  republish: ConfirmChannel;
  /** Copies the broker returned (no such queue), by copy id. */
  returned: Set<string>;
  consumerTag: string | undefined;
  closed: boolean;
}

/** Marks a retry/dead-letter copy so a return can be matched to it. */
const copyHeader = 'x-twenny-copy-id';

/**
 * Consumes a service's queue. Each message is applied in one transaction with its
 * inbox row, then acked: a duplicate finds its inbox row and is acked and skipped;
 * a crash before the ack redelivers it. Malformed messages are dead-lettered at
 * once; failing ones are retried through delay queues, then dead-lettered with the
 * error recorded in their headers.
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

  async function onMessage(current: Session, message: ConsumeMessage) {
    inFlight++;
    try {
      await settle(current, message, await apply(message));
    } catch (error) {
      // Not settled (the copy was refused, or the channel is gone). Hand it back now
      // if the channel lives; otherwise the broker redelivers it. The inbox absorbs
      // any repeat, and the queue's delivery limit bounds a message that never settles.
      logger.warn({ err: error }, 'message not settled; returned to the queue');
      if (!current.closed) {
        try {
          current.channel.nack(message, false, true);
        } catch {
          // the channel closed meanwhile: redelivered anyway
        }
      }
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
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
    logger.warn({ queue, why }, 'consumer lost its channel; reopening');
    scheduleReopen(1_000);
  }

  function scheduleReopen(delayMs: number) {
    if (reopenTimer || stopped) return;
    reopenTimer = setTimeout(() => {
      reopenTimer = undefined;
      // With the connection down, the reconnect's setup reopens instead.
      const model = amqp.channelModel;
      if (!model || stopped) return;
      ensureSession(model).catch((error) => {
        logger.warn({ err: error }, 'could not reopen the consumer; will retry');
        scheduleReopen(Math.min(delayMs * 2, 30_000));
      });
    }, delayMs);
    reopenTimer.unref();
  }

  async function openSession(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    const republish = await model.createConfirmChannel();
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
    const reply = await channel.consume(queue, (message) => (message ? void onMessage(current, message) : lost(current, 'cancelled by the broker')), { noAck: false });
    current.consumerTag = reply.consumerTag;
    // stop() may have run while this was opening: do not resume behind its back.
    if (stopped) return close(current);
    session = current;
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

  async function apply(message: ConsumeMessage): Promise<Outcome> {
    const attempt = Number(message.properties.headers?.[failureHeaders.attempt] ?? 0) + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(message.content.toString('utf8'));
    } catch {
      return { deadLetter: 'malformed: the body is not JSON', attempt };
    }
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success) return { deadLetter: `malformed envelope: ${summarise(envelope.error.issues)}`, attempt };
    const handler = handlers.get(envelope.data.type);
    if (!handler) return { deadLetter: `no handler for ${envelope.data.type} in ${name}`, attempt };
    const data = handler.contract.data.safeParse(envelope.data.data);
    if (!data.success) return { deadLetter: `data does not match ${envelope.data.type}: ${summarise(data.error.issues)}`, attempt };
    const parsed = { ...envelope.data, data: data.data } as Envelope<unknown>;

    return inConsumerSpan(message.properties.headers, `${parsed.type} process`, { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue, 'messaging.message.id': parsed.id }, () =>
      logContext.run({ messageId: parsed.id, requestId: message.properties.correlationId, ...currentTraceIds() }, async () => {
        try {
          const applied = await database.db.transaction(async (tx) => {
            const inserted = await tx.insert(inbox).values({ consumer: name, messageId: parsed.id, type: parsed.type }).onConflictDoNothing().returning({ id: inbox.messageId });
            if (inserted.length === 0) return false;
            await handler.handle(parsed as never, tx, { logger, attempt });
            return true;
          });
          logger[applied ? 'info' : 'debug']({ type: parsed.type, subject: parsed.subject, version: parsed.version, attempt }, applied ? 'message handled' : 'duplicate message skipped');
          return applied ? 'handled' : 'duplicate';
        } catch (error) {
          const text = describeError(error);
          if (error instanceof PermanentMessageError || attempt >= maxAttempts) {
            logger.error({ err: error, type: parsed.type, attempt }, 'message dead-lettered');
            return { deadLetter: text, attempt };
          }
          logger.warn({ err: error, type: parsed.type, attempt }, 'message failed; will retry');
          return { retry: text, attempt };
        }
      }),
    );
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
    async stop() {
      stopped = true;
      clearTimeout(reopenTimer);
      await opening?.catch(() => undefined);
      const current = session;
      if (current?.consumerTag && !current.closed) await current.channel.cancel(current.consumerTag).catch(() => undefined);
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      if (current) close(current);
      session = undefined;
    },
  };
}

function summarise(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

