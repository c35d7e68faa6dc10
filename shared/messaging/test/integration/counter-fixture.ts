import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { defineMessage } from '@twenny/contracts';
import { connectDatabase, type Database } from '@twenny/db';
import type { Logger } from '@twenny/logger';
import { captureLogger, createTestDatabase, deleteBrokerObjects, infrastructure, uniquePrefix, type TestDatabase } from '@twenny/testing';
import {
  connectAmqp,
  createConsumer,
  createOutbox,
  createOutboxRelay,
  declareTopology,
  handlerFor,
  messagingTables,
  topologyNames,
  type AmqpConnection,
  type Consumer,
  type DbExecutor,
  type OutboxRelay,
} from '../../src/index.ts';

/**
 * A tiny "service" for the messaging tests: a counters table in the catalog
 * schema, a message that increments a counter, and the kit's real outbox, relay,
 * consumer and inbox around it, on the real Postgres and RabbitMQ.
 */
export const counterIncremented = defineMessage({
  type: 'test.counter.incremented.v1',
  data: z.object({ counterId: z.string().min(1), by: z.number().int() }),
  fixture: { counterId: 'a', by: 1 },
  personalData: [],
});

export const consumerName = 'counter-service';
export const schema = pgSchema('catalog');
export const tables = messagingTables(schema);

export interface CounterBus {
  testDatabase: TestDatabase;
  database: Database<Record<string, unknown>>;
  amqpUrl: string;
  prefix: string;
  names: ReturnType<typeof topologyNames>;
  subscriptions: Record<string, readonly string[]>;
  logs: ReturnType<typeof captureLogger>;
  connect(url?: string): Promise<AmqpConnection>;
  relay(amqp: AmqpConnection, options?: { batchSize?: number }): OutboxRelay;
  consumer(amqp: AmqpConnection, handle?: (counterId: string, by: number, tx: DbExecutor) => Promise<void>, logger?: Logger): Consumer;
  /** One committed transaction: the state change (a "pending" row) and its message. */
  increment(counterId: string, by?: number): Promise<string>;
  counter(counterId: string): Promise<number>;
  cleanup(): Promise<void>;
}

export const retryDelaysMs = [50, 100];
export const maxAttempts = 3;

export async function createCounterBus(): Promise<CounterBus> {
  const infra = await infrastructure();
  const testDatabase = await createTestDatabase();
  const database = connectDatabase({ url: testDatabase.urlFor('catalog-service'), max: 4, applicationName: 'messaging-test' });
  await database.sql`create table catalog.counters (id text primary key, value int not null default 0)`;
  await database.sql`create table catalog.increments (message_id uuid primary key, counter_id text not null)`;
  const prefix = `${uniquePrefix()}.`;
  const names = topologyNames(prefix);
  const subscriptions = { [consumerName]: [counterIncremented.type] };
  const logs = captureLogger('messaging-test');
  const outbox = createOutbox({ table: tables.outbox, source: 'counter-test' });
  const connections: AmqpConnection[] = [];
  const stoppers: Array<() => Promise<void>> = [];

  const bus: CounterBus = {
    testDatabase,
    database,
    amqpUrl: infra.amqpUrl,
    prefix,
    names,
    subscriptions,
    logs,
    async connect(url = infra.amqpUrl) {
      const amqp = await connectAmqp({ url, name: 'messaging-test', logger: logs.logger, maxDelayMs: 200 });
      await amqp.onConnect(async (model) => {
        const channel = await model.createChannel();
        await declareTopology(channel, { prefix, subscriptions, retryDelaysMs, deliveryLimit: 20 });
        await channel.close();
      });
      connections.push(amqp);
      return amqp;
    },
    relay(amqp, options = {}) {
      const relay = createOutboxRelay({
        database,
        table: tables.outbox,
        amqp,
        exchange: names.exchange,
        logger: logs.logger,
        hasSubscribers: () => true,
        pollIntervalMs: 200,
        batchSize: options.batchSize,
      });
      stoppers.push(() => relay.stop());
      return relay;
    },
    consumer(amqp, handle, logger = logs.logger) {
      const consumer = createConsumer({
        name: consumerName,
        amqp,
        database,
        inbox: tables.inbox,
        handlers: [
          handlerFor(counterIncremented, async (message, tx) => {
            if (handle) await handle(message.data.counterId, message.data.by, tx);
            await tx.execute(sql`insert into catalog.counters (id, value) values (${message.data.counterId}, ${message.data.by})
              on conflict (id) do update set value = catalog.counters.value + excluded.value`);
          }),
        ],
        subscriptions,
        prefix,
        logger,
        prefetch: 10,
        maxAttempts,
        retryDelaysMs,
      });
      stoppers.push(() => consumer.stop());
      return consumer;
    },
    async increment(counterId, by = 1) {
      return database.db.transaction(async (tx) => {
        const envelope = await outbox.enqueue(tx, counterIncremented, { subject: counterId, version: 1, data: { counterId, by } });
        await tx.execute(sql`insert into catalog.increments (message_id, counter_id) values (${envelope.id}, ${counterId})`);
        return envelope.id;
      });
    },
    async counter(counterId) {
      const [row] = await database.sql<{ value: number }[]>`select value from catalog.counters where id = ${counterId}`;
      return row?.value ?? 0;
    },
    async cleanup() {
      for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
      for (const amqp of connections) await amqp.close();
      await database.close();
      await deleteBrokerObjects(infra.amqpUrl, {
        exchanges: [names.exchange],
        queues: [names.queue(consumerName), names.deadLetterQueue(consumerName), ...retryDelaysMs.map((ms) => names.retryQueue(consumerName, ms))],
      });
      await testDatabase.drop();
    },
  };
  return bus;
}
