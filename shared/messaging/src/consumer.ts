import { SpanKind } from '@opentelemetry/api';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { envelopeSchema, type Envelope, type MessageContract, type MessageData } from '@twenny/contracts';
import type { Database } from '@twenny/db';
import { currentTraceIds, logContext, type Logger } from '@twenny/logger';
import type { AmqpConnection } from './amqp-connection.ts';
import type { DbExecutor } from './db-types.ts';
import { PermanentMessageError } from './errors.ts';
import type { InboxTable } from './tables.ts';
import { topologyNames } from './topology.ts';
import { inSpanFrom } from './trace-context.ts';

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
  let channel: Channel | undefined;
  let republish: ConfirmChannel | undefined;
  let consumerTag: string | undefined;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  async function settle(ch: Channel, message: ConsumeMessage, outcome: Outcome) {
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
      await new Promise<void>((resolve, reject) =>
        republish!.sendToQueue(target, message.content, { ...message.properties, headers, persistent: true }, (err) => (err ? reject(err) : resolve())),
      );
    }
    ch.ack(message);
    options.onSettled?.({
      messageId: message.properties.messageId ? String(message.properties.messageId) : undefined,
      result: typeof outcome === 'string' ? outcome : 'retry' in outcome ? 'retry' : 'dead-letter',
    });
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

    return inSpanFrom(message.properties.headers, `${parsed.type} process`, SpanKind.CONSUMER, { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue, 'messaging.message.id': parsed.id }, () =>
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
          const text = `${(error as Error).name}: ${(error as Error).message}`;
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

  async function onMessage(ch: Channel, message: ConsumeMessage | null) {
    if (!message) return; // cancelled by the broker (queue deleted)
    inFlight++;
    try {
      await settle(ch, message, await apply(message));
    } catch (error) {
      // Could not ack or move it (channel gone): the broker redelivers it; the inbox absorbs any repeat.
      logger.warn({ err: error }, 'message left unsettled; it will be redelivered');
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  }

  async function consumeOn(model: ChannelModel) {
    if (stopped) return;
    const ch = await model.createChannel();
    const confirm = await model.createConfirmChannel();
    ch.on('error', (error: Error) => logger.warn({ err: error }, 'consumer channel error'));
    confirm.on('error', (error: Error) => logger.warn({ err: error }, 'consumer republish channel error'));
    await ch.prefetch(prefetch);
    channel = ch;
    republish = confirm;
    const reply = await ch.consume(queue, (message) => void onMessage(ch, message), { noAck: false });
    consumerTag = reply.consumerTag;
    logger.info({ queue, prefetch }, 'consuming');
  }

  return {
    get inFlight() {
      return inFlight;
    },
    async start() {
      await amqp.onConnect(consumeOn);
    },
    async stop() {
      stopped = true;
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await channel?.close().catch(() => undefined);
      await republish?.close().catch(() => undefined);
    },
  };
}

function summarise(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

