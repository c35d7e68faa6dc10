import { subscribersOf, subscriptions as platformSubscriptions } from '@twenny/contracts';
import type { Database } from '@twenny/db';
import type { Lifecycle } from '@twenny/lifecycle';
import type { Logger } from '@twenny/logger';
import { connectAmqp, type AmqpConnection } from './amqp-connection.ts';
import { createConsumer, type Consumer, type MessageHandler } from './consumer.ts';
import { createOutbox, type Outbox } from './outbox.ts';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.ts';
import { schedulePruning } from './retention.ts';
import type { MessagingTables } from './tables.ts';
import { declareTopology, defaultRetryDelaysMs, topologyNames } from './topology.ts';

export interface Messaging {
  amqp: AmqpConnection;
  outbox: Outbox;
  relay: OutboxRelay;
  consumer: Consumer;
  /** For /health/ready. */
  readinessCheck: { name: string; check: () => Promise<void> };
}

/**
 * Wires a service to the bus the one way every service does it: connect, declare
 * the topology (again after each reconnect), relay its outbox, consume its queue
 * through its inbox, prune old rows. Registers shutdown steps in a safe order:
 * stop consuming and drain, stop the relay, close the connection.
 */
export async function startMessaging(options: {
  service: string;
  amqpUrl: string;
  prefix: string;
  prefetch: number;
  retentionHours: number;
  /** Dead letters are kept longer than outbox/inbox rows: someone must look at them. */
  deadLetterRetentionHours?: number;
  database: Database<Record<string, unknown>>;
  tables: MessagingTables;
  handlers: MessageHandler[];
  logger: Logger;
  lifecycle: Lifecycle;
  subscriptions?: Record<string, readonly string[]>;
  maxAttempts?: number;
  retryDelaysMs?: readonly number[];
  /** False where a job scheduler (order-service's worker) prunes outbox and inbox instead. */
  pruneInProcess?: boolean;
}): Promise<Messaging> {
  const { service, database, tables, logger, lifecycle } = options;
  const subscriptions: Record<string, readonly string[]> = options.subscriptions ?? platformSubscriptions;
  const retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const names = topologyNames(options.prefix);

  const amqp = await connectAmqp({ url: options.amqpUrl, name: service, logger });
  await amqp.onConnect(async (model) => {
    const channel = await model.createChannel();
    await declareTopology(channel, { prefix: options.prefix, subscriptions, retryDelaysMs, deliveryLimit: 20 });
    await channel.close();
  });

  const outbox = createOutbox({ table: tables.outbox, source: service });
  const relay = createOutboxRelay({
    database,
    table: tables.outbox,
    amqp,
    exchange: names.exchange,
    logger,
    hasSubscribers: (type) => subscribersOf(type, subscriptions).length > 0,
  });
  const consumer = createConsumer({
    name: service,
    amqp,
    database,
    inbox: tables.inbox,
    handlers: options.handlers,
    subscriptions,
    prefix: options.prefix,
    logger,
    prefetch: options.prefetch,
    maxAttempts: options.maxAttempts ?? 5,
    retryDelaysMs,
  });
  const consuming = (subscriptions[service] ?? []).length > 0;
  const pruning = schedulePruning({
    database,
    tables: options.pruneInProcess === false ? undefined : tables,
    retentionHours: options.retentionHours,
    logger,
    deadLetters: consuming ? { amqp, prefix: options.prefix, consumer: service, retentionHours: options.deadLetterRetentionHours ?? 14 * 24 } : undefined,
  });

  if (consuming) await consumer.start();
  await relay.start();

  lifecycle.onStop('consumer', () => consumer.stop());
  lifecycle.onStop('outbox relay', () => relay.stop());
  lifecycle.onStop('pruning', () => pruning.stop());
  lifecycle.onStop('amqp connection', () => amqp.close(), 'connections');

  return {
    amqp,
    outbox,
    relay,
    consumer,
    readinessCheck: {
      name: 'rabbitmq',
      check: async () => {
        if (!amqp.isConnected) throw new Error('not connected');
        if (consuming && !consumer.isConsuming) throw new Error('not consuming');
      },
    },
  };
}
