import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@twenny/testing';
import { createOutbox, createOutboxRelay, isNewerVersion, pruneMessagingTables } from '../../src/index.ts';
import { counterIncremented, createCounterBus, tables, type CounterBus } from './counter-fixture.ts';

let bus: CounterBus;

beforeEach(async () => {
  bus = await createCounterBus();
});

afterEach(async () => {
  await bus.cleanup();
});

describe('outbox details', () => {
  it('never writes a message whose state change rolled back', async () => {
    const outbox = createOutbox({ table: tables.outbox, source: 'test' });
    await expect(
      bus.database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into catalog.counters (id) values ('rolled-back')`);
        await outbox.enqueue(tx, counterIncremented, { subject: 'rolled-back', version: 1, data: { counterId: 'rolled-back', by: 1 } });
        const [inside] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from catalog.outbox`);
        expect(inside!.n).toBe(1);
        throw new Error('the use case changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    const [row] = await bus.database.sql<{ n: number }[]>`select count(*)::int as n from catalog.outbox`;
    expect(row!.n).toBe(0);
  });

  it('writes the state change and its message in one statement, or neither', async () => {
    const outbox = createOutbox({ table: tables.outbox, source: 'test' });
    const amqp = await bus.connect();
    await bus.consumer(amqp).start();
    await bus.relay(amqp).start();

    const message = outbox.prepare(counterIncremented, { subject: 'one-statement', version: 1, data: { counterId: 'one-statement', by: 2 } });
    await bus.database.db.execute(sql`with changed as (insert into catalog.increments (message_id, counter_id) values (${message.envelope.id}, 'one-statement') returning 1)
      ${message.statement({ when: sql`exists (select 1 from changed)` })}`);
    await waitFor('the message to be delivered', async () => (await bus.counter('one-statement')) === 2);

    // The change did not happen (nothing to update): no message either.
    const nothing = outbox.prepare(counterIncremented, { subject: 'ghost', version: 1, data: { counterId: 'ghost', by: 1 } });
    await bus.database.db.execute(sql`with changed as (update catalog.increments set counter_id = 'ghost' where counter_id = 'no-such-counter' returning 1)
      ${nothing.statement({ when: sql`exists (select 1 from changed)` })}`);
    // The statement fails: neither.
    const failing = outbox.prepare(counterIncremented, { subject: 'failing', version: 1, data: { counterId: 'failing', by: 1 } });
    await expect(
      bus.database.db.execute(sql`with changed as (insert into catalog.increments (message_id, counter_id) values (${message.envelope.id}, 'duplicate key') returning 1)
        ${failing.statement({ when: sql`exists (select 1 from changed)` })}`),
    ).rejects.toThrow();
    const rows = await bus.database.sql<{ id: string }[]>`select envelope->>'id' as id from catalog.outbox`;
    expect(rows).toEqual([{ id: message.envelope.id }]);
  });

  it('refuses to enqueue data that breaks its own contract', async () => {
    const outbox = createOutbox({ table: tables.outbox, source: 'test' });
    await expect(
      bus.database.db.transaction((tx) => outbox.enqueue(tx, counterIncremented, { subject: 's', version: 1, data: { counterId: '', by: 1.5 } as never })),
    ).rejects.toThrow();
  });

  it('keeps a message nobody can receive, with its error, and retries it instead of parking it', async () => {
    const amqp = await bus.connect();
    // A relay on an exchange where nothing is bound: every publish comes back.
    const relay = createOutboxRelay({
      database: bus.database,
      table: tables.outbox,
      amqp,
      exchange: bus.names.exchange,
      logger: bus.logs.logger,
      hasSubscribers: () => true,
      maxBackoffMs: 200,
    });
    const channel = await amqp.model.createChannel();
    await channel.unbindQueue(bus.names.queue('counter-service'), bus.names.exchange, counterIncremented.type);
    await channel.close();
    await bus.increment('nobody-listens');
    expect(await relay.publishBatch()).toBe(1);
    const [row] = await bus.database.sql<{ attempts: number; last_error: string; published_at: Date | null }[]>`select attempts, last_error, published_at from catalog.outbox`;
    expect(row).toMatchObject({ attempts: 1, published_at: null });
    expect(row!.last_error).toContain('unroutable');
    // Once the queue is bound again, the next attempt succeeds.
    const rebind = await amqp.model.createChannel();
    await rebind.bindQueue(bus.names.queue('counter-service'), bus.names.exchange, counterIncremented.type);
    await rebind.close();
    await waitFor('the row to be published after its backoff', async () => {
      await relay.publishBatch();
      const [after] = await bus.database.sql<{ published_at: Date | null }[]>`select published_at from catalog.outbox`;
      return after!.published_at !== null;
    });
  });

  it('publishes a type with no subscribers at all without treating it as an error', async () => {
    const amqp = await bus.connect();
    const relay = createOutboxRelay({ database: bus.database, table: tables.outbox, amqp, exchange: bus.names.exchange, logger: bus.logs.logger, hasSubscribers: () => false });
    const channel = await amqp.model.createChannel();
    await channel.unbindQueue(bus.names.queue('counter-service'), bus.names.exchange, counterIncremented.type);
    await channel.close();
    await bus.increment('fire-and-forget');
    await relay.publishBatch();
    const [row] = await bus.database.sql<{ last_error: string | null; published_at: Date | null }[]>`select last_error, published_at from catalog.outbox`;
    expect(row!.published_at).not.toBeNull();
    expect(row!.last_error).toBeNull();
  });

  it('takes over rows whose relay died after claiming them', async () => {
    const amqp = await bus.connect();
    await bus.increment('orphaned');
    // A relay claimed the row and died: its lease is still running.
    await bus.database.sql`update catalog.outbox set claimed_until = now() + interval '1 hour'`;
    const relay = bus.relay(amqp);
    expect(await relay.publishBatch()).toBe(0);
    await bus.database.sql`update catalog.outbox set claimed_until = now() - interval '1 second'`;
    expect(await relay.publishBatch()).toBe(1);
  });

  it('prunes old published and received rows, never unpublished ones', async () => {
    await bus.increment('old-published');
    await bus.increment('old-unpublished');
    await bus.database.sql`update catalog.outbox set created_at = now() - interval '5 days', published_at = now() - interval '5 days' where envelope->'data'->>'counterId' = 'old-published'`;
    await bus.database.sql`update catalog.outbox set created_at = now() - interval '5 days' where envelope->'data'->>'counterId' = 'old-unpublished'`;
    await bus.database.sql`insert into catalog.inbox (consumer, message_id, type, received_at) values ('c', gen_random_uuid(), 't', now() - interval '5 days'), ('c', gen_random_uuid(), 't', now())`;
    expect(await pruneMessagingTables(bus.database, tables, 72)).toEqual({ outbox: 1, inbox: 1 });
    const left = await bus.database.sql`select envelope->'data'->>'counterId' as id from catalog.outbox`;
    expect(left).toEqual([{ id: 'old-unpublished' }]);
  });
});

describe('stale message guard', () => {
  it('accepts each newer version once and ignores older or repeated ones', async () => {
    const seen: boolean[] = [];
    for (const version of [1, 3, 2, 3, 4]) {
      seen.push(await bus.database.db.transaction((tx) => isNewerVersion(tx, tables.subjectVersions, 'availability', { subject: 'tt-1', version })));
    }
    expect(seen).toEqual([true, true, false, false, true]);
    // Other subjects and other projections keep their own versions.
    expect(await isNewerVersion(bus.database.db, tables.subjectVersions, 'availability', { subject: 'tt-2', version: 1 })).toBe(true);
    expect(await isNewerVersion(bus.database.db, tables.subjectVersions, 'another-projection', { subject: 'tt-1', version: 2 })).toBe(true);
  });

  it('forgets a version whose handler rolled back', async () => {
    await expect(
      bus.database.db.transaction(async (tx) => {
        expect(await isNewerVersion(tx, tables.subjectVersions, 'availability', { subject: 'tt-9', version: 5 })).toBe(true);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow();
    expect(await isNewerVersion(bus.database.db, tables.subjectVersions, 'availability', { subject: 'tt-9', version: 5 })).toBe(true);
  });
});
