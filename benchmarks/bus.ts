/**
 * npm run bench:bus — the bus as services use it, against raw amqplib in the same run.
 *
 * End to end, each message is: one committed transaction with a state change and
 * its outbox row (written by benchmarks/bus-load.ts in its own process, as a
 * service taking requests would) → the relay, woken by NOTIFY, publishes on a
 * confirm channel → the consumer applies it through the inbox with a small state
 * change and commits. This process is the consuming service: relay and consumer
 * on one pool of 5, as a service has.
 * Baseline: raw amqplib confirm-publish of the same bodies to the same exchange and
 * a quorum queue, confirms awaited per 1,000 (as in ../shared/ceilings.md). For
 * context, two more: raw publish with a consumer on the same queue (the broker's
 * part of the path), and the writer's own statements with nothing relaying (the
 * database's part); the end-to-end rate against each is printed too.
 * Then a paced run at 10% of the measured peak gives commit → consumer-commit latency.
 */
import { fork } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { connectDatabase } from '@twenny/db';
import { createLogger } from '@twenny/logger';
import { connectAmqp, createConsumer, createOutboxRelay, declareTopology, handlerFor, topologyNames } from '@twenny/messaging';
import { createTestDatabase, deleteBrokerObjects, infrastructure, uniquePrefix } from '@twenny/testing';
import { benchTables, itemChanged, wallClock, type LoadCommand, type LoadReport } from './bus-message.ts';

const peakMessages = Number(process.env.BENCH_MESSAGES ?? 10_000);
const rawMessages = Number(process.env.BENCH_RAW_MESSAGES ?? 20_000);
const pacedSeconds = Number(process.env.BENCH_PACED_SECONDS ?? 10);
const consumerName = 'bench-consumer';

const logger = createLogger({ service: 'bench-bus', level: process.env.LOG_LEVEL ?? 'warn' });
const infra = await infrastructure();
const testDatabase = await createTestDatabase();
const prefix = `${uniquePrefix()}.`;
const names = topologyNames(prefix);
const subscriptions = { [consumerName]: [itemChanged.type] };

const service = connectDatabase({ url: testDatabase.urlFor('catalog-service'), max: 5, applicationName: 'bench-service' });
await service.sql`create table catalog.bench_items (id text primary key, bucket int not null, changed_at timestamptz not null default now())`;
await service.sql`create table catalog.bench_totals (bucket int primary key, applied int not null default 0)`;
await service.sql`insert into catalog.bench_totals select g, 0 from generate_series(0, 99) g`;

const amqp = await connectAmqp({ url: infra.amqpUrl, name: 'bench-bus', logger });
await amqp.onConnect(async (model) => {
  const channel = await model.createChannel();
  await declareTopology(channel, { prefix, subscriptions, retryDelaysMs: [1000], deliveryLimit: 20 });
  await channel.close();
});

const committedAt = new Map<string, number>();
const handledAt = new Map<string, number>();
let handled = 0;
let onHandled: (() => void) | undefined;

const relay = createOutboxRelay({ database: service, table: benchTables.outbox, amqp, exchange: names.exchange, logger, hasSubscribers: () => true });
const consumer = createConsumer({
  name: consumerName,
  amqp,
  database: service,
  inbox: benchTables.inbox,
  subscriptions,
  prefix,
  logger,
  prefetch: 50,
  maxAttempts: 5,
  retryDelaysMs: [1000],
  handlers: [
    handlerFor(itemChanged, async (message, tx) => {
      await tx.execute(sql`update catalog.bench_totals set applied = applied + 1 where bucket = ${message.data.bucket}`);
    }),
  ],
  onSettled: ({ messageId, result }) => {
    if (result !== 'handled' || !messageId) return;
    handledAt.set(messageId, wallClock());
    handled++;
    onHandled?.();
  },
});

const load = fork(new URL('./bus-load.ts', import.meta.url), { env: { ...process.env, BENCH_DATABASE_URL: testDatabase.urlFor('catalog-service') } });
let loadDone: (() => void) | undefined;
load.on('message', (report: LoadReport) => {
  if ('done' in report) loadDone?.();
  else for (const [id, at] of report.commits) committedAt.set(id, at);
});

function runLoad(command: LoadCommand): Promise<void> {
  return new Promise((resolve) => {
    loadDone = resolve;
    load.send(command);
  });
}

function allHandled(target: number): Promise<void> {
  return new Promise((resolve) => {
    if (handled >= target) return resolve();
    onHandled = () => {
      if (handled < target) return;
      onHandled = undefined;
      resolve();
    };
  });
}

function latencies(ids: string[]) {
  const values = ids.map((id) => handledAt.get(id)! - committedAt.get(id)!).filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number) => values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
  return { p50: at(50), p99: at(99), max: values[values.length - 1] ?? NaN };
}

async function measured(command: LoadCommand & { count: number }) {
  const before = new Set(committedAt.keys());
  const target = handled + command.count;
  const started = wallClock();
  await runLoad(command);
  await allHandled(target);
  const seconds = (wallClock() - started) / 1000;
  const ids = [...committedAt.keys()].filter((id) => !before.has(id));
  return { rate: command.count / seconds, ...latencies(ids) };
}

/**
 * Raw amqplib on a quorum queue: confirm-publish alone (the baseline), or
 * with a consumer acking at the same time (the broker part of the real path).
 */
async function rawBaseline(withConsumer: boolean): Promise<number> {
  const channel = await amqp.model.createConfirmChannel();
  const body = JSON.stringify({ id: '3f1c6a2e-8d4b-4a51-9a7e-2b9f0c1d5e77', type: itemChanged.type, source: 'bench', time: new Date().toISOString(), subject: 'item-0', version: 1, data: { itemId: 'item-0', bucket: 0, note: 'x'.repeat(120) } });
  const { queue } = await channel.assertQueue(`${prefix}raw-baseline`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, names.exchange, 'bench.raw.v1');
  let consumed = 0;
  let allConsumed: (() => void) | undefined;
  const consuming = withConsumer ? await amqp.model.createChannel() : undefined;
  if (consuming) {
    await consuming.prefetch(100);
    await consuming.consume(queue, (message) => {
      if (!message) return;
      consuming.ack(message);
      if (++consumed === rawMessages) allConsumed?.();
    });
  }
  const started = wallClock();
  for (let i = 0; i < rawMessages; i++) {
    channel.publish(names.exchange, 'bench.raw.v1', Buffer.from(body), { persistent: true, mandatory: true, messageId: String(i), contentType: 'application/json' });
    if ((i + 1) % 1000 === 0) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  if (consuming && consumed < rawMessages) await new Promise<void>((resolve) => (allConsumed = resolve));
  const rate = rawMessages / ((wallClock() - started) / 1000);
  await consuming?.close();
  await channel.deleteQueue(queue);
  await channel.close();
  return rate;
}

/** The writer's own work alone (its statements, nothing relaying or consuming): the Postgres bound. */
async function writerAlone(): Promise<number> {
  const started = wallClock();
  await runLoad({ run: 'burst', count: peakMessages });
  return peakMessages / ((wallClock() - started) / 1000);
}

try {
  const writer = await writerAlone();
  await consumer.start();
  await relay.start();
  await allHandled(peakMessages); // drain what the writer-only run left behind
  await measured({ run: 'burst', count: 500 }); // warm-up: connections, JIT, queues

  const raw = await rawBaseline(false);
  const rawBoth = await rawBaseline(true);
  const peak = await measured({ run: 'burst', count: peakMessages });
  const pacedRate = peak.rate * 0.1;
  const pacedCount = Math.max(100, Math.round(pacedRate * pacedSeconds));
  const paced = await measured({ run: 'paced', count: pacedCount, rate: pacedRate });
  const [totals] = await service.sql<{ applied: number }[]>`select sum(applied)::int as applied from catalog.bench_totals`;
  const [items] = await service.sql<{ n: number }[]>`select count(*)::int as n from catalog.bench_items`;
  const ratio = peak.rate / raw;

  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const writes = process.env.BENCH_WRITE === 'transaction' ? 'a Drizzle transaction per message (outbox.enqueue)' : 'one statement per message (outbox.prepare)';
  console.log(`\nbus benchmark — ${new Date().toISOString()} — node ${process.version}; writers: 1 process, ${process.env.BENCH_PRODUCERS ?? 8} connections, ${writes}; service: relay (batch 200, 4 in flight) + consumer (prefetch 50, batched commits) on a pool of 5\n`);
  console.log(row(['path', 'messages', 'msg/s', 'p50 ms', 'p99 ms']));
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  console.log(row(['raw amqplib confirm-publish (confirms per 1,000)', f(rawMessages), f(raw), '', '']));
  console.log(row(['raw amqplib confirm-publish + consume, one quorum queue', f(rawMessages), f(rawBoth), '', '']));
  console.log(row(['writer alone (state change + outbox row, nothing relaying)', f(peakMessages), f(writer), '', '']));
  console.log(row(['outbox → relay → inbox consumer, peak', f(peakMessages), f(peak.rate), f(peak.p50, 1), f(peak.p99, 1)]));
  console.log(row([`same path paced at 10% of peak`, f(pacedCount), f(pacedRate), f(paced.p50, 1), f(paced.p99, 1)]));
  console.log(`\nratio end-to-end / raw publish: ${ratio.toFixed(2)} (target ≥ 0.30: ${ratio >= 0.3 ? 'met' : 'not met'})`);
  console.log(`ratio end-to-end / raw publish + consume (the broker's share of the same path): ${(peak.rate / rawBoth).toFixed(2)}; / writer alone (the database's share): ${(peak.rate / writer).toFixed(2)}`);
  console.log(`p99 commit → consumer commit at 10% of peak: ${f(paced.p99, 1)} ms (target < 100 ms: ${paced.p99 < 100 ? 'met' : 'not met'}); max ${f(paced.max, 1)} ms`);
  console.log(`exactly once: ${items?.n} state changes written, ${totals?.applied} applied by the consumer`);
} finally {
  load.send({ run: 'exit' } satisfies LoadCommand);
  await consumer.stop();
  await relay.stop();
  await amqp.close();
  await service.close();
  await deleteBrokerObjects(infra.amqpUrl, { exchanges: [names.exchange], queues: [names.queue(consumerName), names.deadLetterQueue(consumerName), names.retryQueue(consumerName, 1000)] });
  await testDatabase.drop();
}
