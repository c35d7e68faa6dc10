import type { Channel } from 'amqplib';

export interface TopologyOptions {
  /** Prepended to every exchange and queue name; tests use one per file. */
  prefix: string;
  /** consumer (service) name → message types its queue receives. */
  subscriptions: Record<string, readonly string[]>;
  /** Delays for the retry queues, in ms; attempt n waits retryDelaysMs[min(n-1, last)]. */
  retryDelaysMs: readonly number[];
  /** A message redelivered this often (e.g. it crashes its consumer) is dead-lettered by the broker. */
  deliveryLimit: number;
}

export const defaultRetryDelaysMs = [1_000, 10_000, 60_000] as const;

export function topologyNames(prefix: string) {
  return {
    exchange: `${prefix}twenny.events`,
    queue: (consumer: string) => `${prefix}${consumer}`,
    deadLetterQueue: (consumer: string) => `${prefix}${consumer}.dlq`,
    retryQueue: (consumer: string, delayMs: number) => `${prefix}${consumer}.retry.${delayMs}ms`,
  };
}

/**
 * Declares the whole bus: one durable topic exchange; per consumer a quorum queue
 * bound to its message types, a dead-letter queue, and delay queues that hand a
 * message back to the consumer's queue when their TTL runs out. Idempotent.
 */
export async function declareTopology(channel: Channel, options: TopologyOptions): Promise<void> {
  const names = topologyNames(options.prefix);
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  for (const [consumer, types] of Object.entries(options.subscriptions)) {
    const queue = names.queue(consumer);
    const dlq = names.deadLetterQueue(consumer);
    await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': options.deliveryLimit,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': dlq,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    for (const delayMs of options.retryDelaysMs) {
      await channel.assertQueue(names.retryQueue(consumer, delayMs), {
        durable: true,
        arguments: { 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
    }
    for (const type of types) await channel.bindQueue(queue, names.exchange, type);
  }
}
