import { context as otelContext, type Context } from '@opentelemetry/api';
import type { ConsumeMessage } from 'amqplib';
import { envelopeSchema, type Envelope } from '@twenny/contracts';
import type { Database } from '@twenny/db';
import { currentTraceIds, describeError, logContext, type LogContext, type Logger } from '@twenny/logger';
import type { MessageHandler } from './consumer.ts';
import { PermanentMessageError } from './errors.ts';
import type { InboxTable } from './tables.ts';
import { inConsumerSpan } from './trace-context.ts';

export type Outcome = 'handled' | 'duplicate' | { retry: string; attempt: number } | { deadLetter: string; attempt: number };

/** Names the header that counts handling attempts across retries. */
export const attemptHeader = 'x-twenny-attempt';

type Parsed = { envelope: Envelope<unknown>; handler: MessageHandler; attempt: number };
type Item = { message: ConsumeMessage; context: Context; parsed: Parsed };

/**
 * Turns deliveries into outcomes. Malformed messages become dead letters without
 * touching the database. Valid ones are applied with their inbox rows: a batch in
 * one transaction (one commit for many messages), and if any of them fails, each
 * on its own, so one bad message costs only itself.
 */
export function createMessageApplier(options: {
  name: string;
  queue: string;
  handlers: Map<string, MessageHandler>;
  database: Database<Record<string, unknown>>;
  inbox: InboxTable;
  logger: Logger;
  maxAttempts: number;
}) {
  const { name, queue, handlers, database, inbox, logger, maxAttempts } = options;

  function parse(message: ConsumeMessage): Parsed | Outcome {
    const attempt = Number(message.properties.headers?.[attemptHeader] ?? 0) + 1;
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
    return { envelope: { ...envelope.data, data: data.data } as Envelope<unknown>, handler, attempt };
  }

  /** Runs one message's handler in its own trace and log context; returns that context for later lines. */
  function runHandler(item: Item, tx: Parameters<MessageHandler['handle']>[1]): Promise<LogContext> {
    const { message, parsed, context: arrivedIn } = item;
    const { envelope, handler, attempt } = parsed;
    const attributes = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue, 'messaging.message.id': envelope.id };
    return otelContext.with(arrivedIn, () =>
      inConsumerSpan(message.properties.headers, `${envelope.type} process`, attributes, async () => {
        const logFields: LogContext = { messageId: envelope.id, requestId: message.properties.correlationId, ...currentTraceIds() };
        await logContext.run(logFields, () => handler.handle(envelope as never, tx, { logger, attempt }));
        return logFields;
      }),
    );
  }

  function logApplied(parsed: Parsed, applied: boolean, context: LogContext | undefined) {
    const { envelope, attempt } = parsed;
    const fields = { type: envelope.type, messageId: envelope.id, subject: envelope.subject, version: envelope.version, attempt };
    const write = () => (applied ? logger.info(fields, 'message handled') : logger.debug(fields, 'duplicate message skipped'));
    if (context) logContext.run(context, write);
    else write();
  }

  /** All of them in one transaction, or an error if any fails. */
  async function applyTogether(items: Item[]): Promise<Outcome[]> {
    const contexts = new Map<string, LogContext>();
    const fresh = await database.db.transaction(async (tx) => {
      const rows = await tx
        .insert(inbox)
        .values(items.map(({ parsed }) => ({ consumer: name, messageId: parsed.envelope.id, type: parsed.envelope.type })))
        .onConflictDoNothing()
        .returning({ id: inbox.messageId });
      const inserted = new Set(rows.map((row) => row.id));
      for (const item of items) {
        // The same message twice in one batch: the inbox row was inserted once.
        if (!inserted.delete(item.parsed.envelope.id)) continue;
        contexts.set(item.parsed.envelope.id, await runHandler(item, tx));
      }
      return contexts;
    });
    return items.map(({ parsed }) => {
      const context = fresh.get(parsed.envelope.id);
      if (context) fresh.delete(parsed.envelope.id);
      logApplied(parsed, context !== undefined, context);
      return context ? 'handled' : 'duplicate';
    });
  }

  async function applyAlone(item: Item): Promise<Outcome> {
    try {
      return (await applyTogether([item]))[0]!;
    } catch (error) {
      const { envelope, attempt } = item.parsed;
      const text = describeError(error);
      if (error instanceof PermanentMessageError || attempt >= maxAttempts) {
        logger.error({ err: error, type: envelope.type, messageId: envelope.id, attempt }, 'message dead-lettered');
        return { deadLetter: text, attempt };
      }
      logger.warn({ err: error, type: envelope.type, messageId: envelope.id, attempt }, 'message failed; will retry');
      return { retry: text, attempt };
    }
  }

  /** The outcome of each delivery, in order. */
  async function apply(deliveries: Array<{ message: ConsumeMessage; context: Context }>): Promise<Outcome[]> {
    const parsed = deliveries.map(({ message }) => parse(message));
    const valid = deliveries.flatMap(({ message, context }, index) => {
      const item = parsed[index]!;
      return 'envelope' in (item as object) ? [{ message, context, parsed: item as Parsed, index }] : [];
    });
    const outcomes: Outcome[] = parsed.map((item) => ('envelope' in (item as object) ? 'duplicate' : (item as Outcome)));
    if (valid.length > 1) {
      try {
        const together = await applyTogether(valid);
        valid.forEach((item, i) => (outcomes[item.index] = together[i]!));
        return outcomes;
      } catch (error) {
        // Someone in the batch failed: find out who, one at a time.
        logger.debug({ err: error, messages: valid.length }, 'batch failed; applying its messages one at a time');
      }
    }
    for (const item of valid) outcomes[item.index] = await applyAlone(item);
    return outcomes;
  }

  return { apply };
}

function summarise(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
