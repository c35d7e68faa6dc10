import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, GetMessage } from 'amqplib';
import type { AmqpConnection } from './amqp-connection.ts';
import { failureHeaders } from './consumer.ts';
import { topologyNames } from './topology.ts';

const replayHeader = 'x-twenny-replay-id';
const replayCopyHeader = 'x-twenny-replay-copy';

export interface DeadLetter {
  messageId: string;
  type: string;
  error: string;
  attempts: number;
  failedAt: string;
  body: string;
}

/** When the broker dead-lettered it itself (delivery limit), the time is in x-death. */
function brokerDeathTime(headers: Record<string, unknown>): string {
  const deaths = headers['x-death'];
  const time = Array.isArray(deaths) ? (deaths[0] as { time?: unknown } | undefined)?.time : undefined;
  const seconds = typeof time === 'number' ? time : typeof (time as { value?: unknown })?.value === 'number' ? (time as { value: number }).value : undefined;
  return seconds === undefined ? '' : new Date(seconds * 1000).toISOString();
}

function describe(message: GetMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  const byBroker = headers[failureHeaders.error] === undefined && headers['x-death'] !== undefined;
  return {
    messageId: String(message.properties.messageId ?? ''),
    type: String(message.properties.type ?? ''),
    error: byBroker ? 'delivery limit reached (the consumer kept failing or crashing)' : String(headers[failureHeaders.error] ?? 'unknown'),
    attempts: Number(headers[failureHeaders.attempt] ?? 0),
    failedAt: byBroker ? brokerDeathTime(headers) : String(headers[failureHeaders.failedAt] ?? brokerDeathTime(headers)),
    body: message.content.toString('utf8').slice(0, 500),
  };
}

/**
 * Walks a consumer's dead-letter queue. Messages are taken unacknowledged and
 * returned to the queue when the channel closes, unless `take` accepted them.
 */
async function walk(
  amqp: AmqpConnection,
  prefix: string,
  consumer: string,
  take: (message: GetMessage, channel: ConfirmChannel) => Promise<boolean>,
  limit: number,
  prepare?: (channel: ConfirmChannel) => void,
) {
  const names = topologyNames(prefix);
  const queue = names.deadLetterQueue(consumer);
  const channel = await amqp.model.createConfirmChannel();
  prepare?.(channel);
  try {
    // Messages taken and not acked stay with this channel, so the walk ends.
    for (let seen = 0; seen < limit; seen++) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      if (await take(message, channel)) channel.ack(message);
    }
    await channel.waitForConfirms();
  } finally {
    await channel.close().catch(() => undefined); // un-acked messages go back to the queue
  }
}

export async function listDeadLetters(amqp: AmqpConnection, options: { prefix: string; consumer: string; limit?: number }): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  await walk(amqp, options.prefix, options.consumer, async (message) => {
    found.push(describe(message));
    return false;
  }, options.limit ?? 1000);
  return found;
}

/**
 * Sends dead letters back to the consumer's queue (all, or those whose message id
 * is listed), with their attempt count reset. Each is acked only once the copy is
 * confirmed, so a replay cut short loses nothing.
 */
export async function replayDeadLetters(amqp: AmqpConnection, options: { prefix: string; consumer: string; messageIds?: string[]; limit?: number }): Promise<DeadLetter[]> {
  const names = topologyNames(options.prefix);
  const wanted = options.messageIds ? new Set(options.messageIds) : undefined;
  const replayed: DeadLetter[] = [];
  // A replayed message that fails again at once comes back here during this walk,
  // marked with this walk's id: it is held, not replayed a second time.
  const walkId = randomUUID();
  const returnedCopies = new Set<string>();
  const watchReturns = (channel: ConfirmChannel) =>
    channel.on('return', (back: GetMessage) => {
      const id = back.properties.headers?.[replayCopyHeader];
      if (typeof id === 'string') returnedCopies.add(id);
    });
  await walk(amqp, options.prefix, options.consumer, async (message, channel) => {
    const letter = describe(message);
    if (message.properties.headers?.[replayHeader] === walkId) return false;
    if (wanted && !wanted.has(letter.messageId)) return false;
    const headers: Record<string, unknown> = { ...message.properties.headers, [replayHeader]: walkId };
    for (const key of [...Object.values(failureHeaders), 'x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-delivery-count']) delete headers[key];
    // Mandatory: if the consumer's queue is gone, the letter stays where it is.
    const copyId = randomUUID();
    headers[replayCopyHeader] = copyId;
    await new Promise<void>((resolve, reject) =>
      channel.sendToQueue(names.queue(options.consumer), message.content, { ...message.properties, headers, persistent: true, mandatory: true }, (err) => (err ? reject(err) : resolve())),
    );
    if (returnedCopies.delete(copyId)) throw new Error(`queue ${names.queue(options.consumer)} does not exist; nothing was replayed past this letter`);
    replayed.push(letter);
    return true;
  }, options.limit ?? 10_000, watchReturns);
  return replayed;
}

/**
 * Drops dead letters that failed longer ago than `olderThanMs` (the retention
 * period); younger ones stay, in order. Each dropped one is logged with its error.
 */
export async function pruneDeadLetters(
  amqp: AmqpConnection,
  options: { prefix: string; consumer: string; olderThanMs: number; onDrop?: (letter: DeadLetter) => void; limit?: number },
): Promise<number> {
  const cutoff = Date.now() - options.olderThanMs;
  let dropped = 0;
  await walk(amqp, options.prefix, options.consumer, async (message) => {
    const letter = describe(message);
    const failedAt = Date.parse(letter.failedAt);
    if (!Number.isFinite(failedAt) || failedAt >= cutoff) return false;
    options.onDrop?.(letter);
    dropped++;
    return true;
  }, options.limit ?? 10_000);
  return dropped;
}
