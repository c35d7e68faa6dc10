import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy, waitFor } from '@twenny/testing';
import { declareTopology, listDeadLetters, PermanentMessageError, pruneDeadLetters, replayDeadLetters } from '../../src/index.ts';
import { consumerName, counterIncremented, createCounterBus, maxAttempts, retryDelaysMs, type CounterBus } from './counter-fixture.ts';

let bus: CounterBus;

beforeEach(async () => {
  bus = await createCounterBus();
});

afterEach(async () => {
  await bus.cleanup();
});

async function unpublishedRows(): Promise<number> {
  const [row] = await bus.database.sql<{ n: number }[]>`select count(*)::int as n from catalog.outbox where published_at is null`;
  return row!.n;
}

describe('transactional outbox and inbox on the real broker and database', () => {
  it('(a) delivers a message written while RabbitMQ was unreachable once it is back', async () => {
    const proxy = TcpProxy.forUrl(bus.amqpUrl, 5672);
    await proxy.start();
    try {
      const relayConnection = await bus.connect(proxy.url(bus.amqpUrl));
      const consumerConnection = await bus.connect();
      await bus.consumer(consumerConnection).start();
      const relay = bus.relay(relayConnection);
      await relay.start();

      proxy.cut();
      await waitFor('the relay to notice the broker is gone', () => !relayConnection.isConnected);
      await bus.increment('offline', 7);
      // Give the relay several polls while cut: the row must stay, unpublished.
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await unpublishedRows()).toBe(1);
      expect(await bus.counter('offline')).toBe(0);

      proxy.restore();
      await waitFor('the counter to be incremented after the broker came back', async () => (await bus.counter('offline')) === 7, { timeoutMs: 20_000 });
      // The relay records "published" after the broker's confirm, which may come after the consumer is done.
      await waitFor('the row to be marked published', async () => (await unpublishedRows()) === 0);
    } finally {
      await proxy.stop();
    }
  });

  it('(a) resumes consuming, losing nothing, when the consumer\'s connection drops', async () => {
    const proxy = TcpProxy.forUrl(bus.amqpUrl, 5672);
    await proxy.start();
    try {
      const consumerConnection = await bus.connect(proxy.url(bus.amqpUrl));
      await bus.consumer(consumerConnection).start();
      await bus.relay(await bus.connect()).start();
      await bus.increment('flaky-network');
      await waitFor('the first message', async () => (await bus.counter('flaky-network')) === 1);

      proxy.cut();
      await waitFor('the consumer to notice', () => !consumerConnection.isConnected);
      for (let i = 0; i < 3; i++) await bus.increment('flaky-network');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await bus.counter('flaky-network')).toBe(1);

      proxy.restore();
      await waitFor('the consumer to reconnect and catch up', async () => (await bus.counter('flaky-network')) === 4, { timeoutMs: 20_000 });
    } finally {
      await proxy.stop();
    }
  });

  it('(a) reopens its channel and goes on consuming when the broker cancels it', async () => {
    const amqp = await bus.connect();
    const consumer = bus.consumer(amqp);
    await consumer.start();
    await bus.relay(amqp).start();
    expect(consumer.isConsuming).toBe(true);

    // An operator deletes and recreates the queue: the broker cancels the consumer.
    const channel = await amqp.model.createChannel();
    await channel.deleteQueue(bus.names.queue(consumerName));
    await waitFor('the consumer to notice the cancel', () => !consumer.isConsuming);
    await declareTopology(channel, { prefix: bus.prefix, subscriptions: bus.subscriptions, retryDelaysMs, deliveryLimit: 20 });
    await channel.close();

    await waitFor('the consumer to reopen', () => consumer.isConsuming, { timeoutMs: 20_000 });
    await bus.increment('after-cancel', 3);
    await waitFor('a message after the cancel', async () => (await bus.counter('after-cancel')) === 3);
  });

  it('(b) applies a message delivered twice only once', async () => {
    const amqp = await bus.connect();
    await bus.consumer(amqp).start();
    const envelope = {
      id: '3f1c6a2e-8d4b-4a51-9a7e-2b9f0c1d5e77',
      type: counterIncremented.type,
      source: 'test',
      time: new Date().toISOString(),
      subject: 'twice',
      version: 1,
      data: { counterId: 'twice', by: 5 },
    };
    const channel = await amqp.model.createConfirmChannel();
    for (let i = 0; i < 2; i++) {
      channel.publish(bus.names.exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId: envelope.id, persistent: true });
    }
    await channel.waitForConfirms();
    await channel.close();

    await waitFor('both deliveries to be handled', () => bus.logs.lines.some((l) => l.msg === 'duplicate message skipped'));
    expect(await bus.counter('twice')).toBe(5);
    const inbox = await bus.database.sql`select * from catalog.inbox where message_id = ${envelope.id}`;
    expect(inbox).toHaveLength(1);
  });

  it('(b) treats a message id in capitals as the same id, and applies it', async () => {
    const amqp = await bus.connect();
    await bus.consumer(amqp).start();
    const id = '9F1C6A2E-8D4B-4A51-9A7E-2B9F0C1D5E77';
    const channel = await amqp.model.createConfirmChannel();
    for (const messageId of [id, id.toLowerCase()]) {
      const envelope = { id: messageId, type: counterIncremented.type, source: 'test', time: new Date().toISOString(), subject: 'capitals', version: 1, data: { counterId: 'capitals', by: 2 } };
      channel.publish(bus.names.exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId, persistent: true });
    }
    await channel.waitForConfirms();
    await channel.close();
    await waitFor('the message to be applied', async () => (await bus.counter('capitals')) === 2);
    await waitFor('the second spelling to be seen as a duplicate', () => bus.logs.lines.some((l) => l.msg === 'duplicate message skipped' && l.subject === 'capitals'));
    expect(await bus.counter('capitals')).toBe(2);
  });

  it('(c) dead-letters a message that always fails after N attempts with its error, and replays it', async () => {
    const amqp = await bus.connect();
    let broken = true;
    await bus
      .consumer(amqp, async (counterId) => {
        if (broken && counterId === 'poison') throw new Error('downstream said no');
      })
      .start();
    await bus.relay(amqp).start();
    const messageId = await bus.increment('poison', 3);

    const [letter] = await waitFor('the message to reach the dead-letter queue', async () => {
      const letters = await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName });
      return letters.length > 0 ? letters : undefined;
    });
    expect(letter).toMatchObject({ messageId, type: counterIncremented.type, attempts: maxAttempts });
    expect(letter!.error).toContain('downstream said no');
    expect(await bus.counter('poison')).toBe(0);
    // Listing does not consume: it is still there.
    expect(await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).toHaveLength(1);

    // Retention: a letter younger than the period stays.
    expect(await pruneDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName, olderThanMs: 60_000 })).toBe(0);
    expect(await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).toHaveLength(1);

    broken = false;
    const replayed = await replayDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName });
    expect(replayed.map((r) => r.messageId)).toEqual([messageId]);
    await waitFor('the replayed message to be applied', async () => (await bus.counter('poison')) === 3);
    expect(await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).toHaveLength(0);
  });

  it('(c) applies a batch together, and a failing message in it costs only itself', async () => {
    const amqp = await bus.connect();
    let poisonAttempts = 0;
    await bus
      .consumer(amqp, async (counterId) => {
        if (counterId === 'batch-poison') {
          poisonAttempts++;
          throw new PermanentMessageError('this one is wrong');
        }
      })
      .start();
    const channel = await amqp.model.createConfirmChannel();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = crypto.randomUUID();
      ids.push(id);
      const counterId = i === 4 ? 'batch-poison' : 'batch-good';
      const envelope = { id, type: counterIncremented.type, source: 'test', time: new Date().toISOString(), subject: counterId, version: 1, data: { counterId, by: 1 } };
      channel.publish(bus.names.exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { messageId: id, persistent: true });
    }
    await channel.waitForConfirms();
    await channel.close();

    await waitFor('the nine good messages', async () => (await bus.counter('batch-good')) === 9);
    const [letter] = await waitFor('the poison message in the DLQ', async () => {
      const letters = await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName });
      return letters.length === 1 ? letters : undefined;
    });
    expect(letter).toMatchObject({ messageId: ids[4], attempts: 1 });
    expect(letter!.error).toContain('this one is wrong');
    const inbox = await bus.database.sql<{ message_id: string }[]>`select message_id from catalog.inbox`;
    expect(inbox.map((row) => row.message_id).sort()).toEqual(ids.filter((_, i) => i !== 4).sort());
    // It ran in its batch (rolled back with it), then alone.
    expect(poisonAttempts).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await bus.counter('batch-good')).toBe(9);
  });

  it('(c) dead-letters malformed and hostile messages at once, and keeps consuming', async () => {
    const amqp = await bus.connect();
    await bus.consumer(amqp).start();
    const channel = await amqp.model.createConfirmChannel();
    const bodies = [
      'not json at all',
      JSON.stringify({ id: 'x', type: counterIncremented.type }),
      JSON.stringify({ id: '6b8f2a4e-1c3d-4e5f-8a9b-0c1d2e3f4a5b', type: counterIncremented.type, source: 's', time: new Date().toISOString(), subject: 's', version: 1, data: { counterId: '', by: 'lots' } }),
      JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
      '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
    ];
    for (const body of bodies) channel.publish(bus.names.exchange, counterIncremented.type, Buffer.from(body), { persistent: true });
    await channel.waitForConfirms();
    await channel.close();
    const letters = await waitFor('every malformed message in the DLQ', async () => {
      const found = await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName });
      return found.length === bodies.length ? found : undefined;
    });
    expect(letters.map((l) => l.error)).toEqual([
      'malformed: the body is not JSON',
      expect.stringContaining('malformed envelope'),
      expect.stringContaining('data does not match test.counter.incremented.v1'),
      expect.stringContaining('malformed envelope'),
      expect.stringContaining('malformed envelope'),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Replaying sends each back once, even though each fails again at once.
    const replayed = await replayDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName });
    expect(replayed).toHaveLength(bodies.length);
    await waitFor('the replayed messages to fail again', async () => (await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).length === bodies.length);

    // A letter the broker dead-lettered itself (delivery limit) carries only x-death: it ages too.
    const raw = await amqp.model.createConfirmChannel();
    raw.sendToQueue(bus.names.deadLetterQueue(consumerName), Buffer.from('{}'), {
      persistent: true,
      headers: { 'x-death': [{ count: 20, reason: 'delivery_limit', queue: bus.names.queue(consumerName), time: { '!': 'timestamp', value: Math.floor(Date.now() / 1000) - 3600 } }] },
    });
    await raw.waitForConfirms();
    await raw.close();
    const byBroker = (await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).find((l) => l.error.startsWith('delivery limit'));
    expect(Date.parse(byBroker!.failedAt)).toBeLessThan(Date.now() - 3_000_000);

    // Retention: letters older than the period are dropped.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const dropped: string[] = [];
    expect(await pruneDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName, olderThanMs: 10, onDrop: (letter) => dropped.push(letter.error) })).toBe(bodies.length + 1);
    expect(dropped).toHaveLength(bodies.length + 1);
    expect(await listDeadLetters(amqp, { prefix: bus.prefix, consumer: consumerName })).toHaveLength(0);

    // Still healthy: a good message goes through.
    await bus.relay(amqp).start();
    await bus.increment('after-poison', 2);
    await waitFor('a good message after the bad ones', async () => (await bus.counter('after-poison')) === 2);
  });

  it('(d) two relays running at once never publish a row twice', async () => {
    const amqp = await bus.connect();
    // A plain queue of the test's own sees every delivery, duplicates included.
    const channel = await amqp.model.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, bus.names.exchange, counterIncremented.type);
    const deliveries = new Map<string, number>();
    await channel.consume(queue, (message) => {
      if (!message) return;
      const id = String(message.properties.messageId);
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      channel.ack(message);
    });

    const first = bus.relay(await bus.connect(), { batchSize: 25 });
    const second = bus.relay(await bus.connect(), { batchSize: 25 });
    await Promise.all([first.start(), second.start()]);
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      ids.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => bus.increment(`c${(batch * 40 + i) % 17}`)))));
    }
    await waitFor('all 400 messages to be delivered', () => deliveries.size === ids.length, { timeoutMs: 30_000 });
    await waitFor('every row to be marked published', async () => (await unpublishedRows()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 500)); // any duplicate would arrive by now
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(deliveries.keys())).toEqual(new Set(ids));
    await channel.close();
  });

  it('finishes the message in hand when stopped, and stops taking new ones', async () => {
    const amqp = await bus.connect();
    let release: () => void = () => {};
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const consumer = bus.consumer(amqp, async (counterId) => {
      if (counterId !== 'draining') return;
      started();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await consumer.start();
    await bus.relay(amqp).start();
    await bus.increment('draining', 5);
    await handlerStarted;

    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false); // waiting for the message in hand
    await bus.increment('after-stop', 1);
    release();
    await stopping;
    expect(await bus.counter('draining')).toBe(5);

    // It was acked: nothing comes back. The message sent after stop() waits in the queue for the next consumer.
    const channel = await amqp.model.createChannel();
    const queued = await waitFor('the later message to be queued', async () => {
      const { messageCount } = await channel.checkQueue(bus.names.queue(consumerName));
      return messageCount >= 1 ? messageCount : undefined;
    });
    expect(queued).toBe(1);
    await channel.close();
    expect(await bus.counter('after-stop')).toBe(0);
  });

  it('(e) loses nothing when a consumer is killed in the middle of a message', async () => {
    const amqp = await bus.connect();
    await bus.relay(amqp).start();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/stalling-consumer.ts', import.meta.url))], {
      env: { ...process.env, TEST_DATABASE_URL: bus.testDatabase.urlFor('catalog-service'), TEST_AMQP_URL: bus.amqpUrl, TEST_PREFIX: bus.prefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor('the child consumer to start', () => output.includes('consuming'));
      await bus.increment('killed', 4);
      await waitFor('the child to be in the middle of the message', () => output.includes('stalling'));
      child.kill('SIGKILL');
      await exited;

      expect(await bus.counter('killed')).toBe(0);
      await bus.consumer(amqp).start();
      await waitFor('the message to be redelivered and applied', async () => (await bus.counter('killed')) === 4);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await bus.counter('killed')).toBe(4);
      const inbox = await bus.database.sql`select * from catalog.inbox`;
      expect(inbox).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
