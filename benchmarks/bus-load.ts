/**
 * The writing side of the bus benchmark, in its own process like a service
 * taking requests: each message is one committed transaction with a state change
 * and its outbox row. Reports each commit's time to the parent.
 */
import { sql } from 'drizzle-orm';
import { connectDatabase } from '@twenny/db';
import { createOutbox } from '@twenny/messaging';
import { benchTables, itemChanged, wallClock, type LoadCommand, type LoadReport } from './bus-message.ts';

const connections = Number(process.env.BENCH_PRODUCERS ?? 8);
const database = connectDatabase({ url: process.env.BENCH_DATABASE_URL!, max: connections, applicationName: 'bench-load' });
const outbox = createOutbox({ table: benchTables.outbox, source: 'bench-load' });
const note = 'x'.repeat(120);
let sequence = 0;
let pending: Array<[string, number]> = [];

const send = (report: LoadReport) => process.send!(report);
const flush = setInterval(() => {
  if (pending.length === 0) return;
  send({ commits: pending });
  pending = [];
}, 20);

// BENCH_WRITE=transaction: the simple path (a Drizzle transaction, outbox.enqueue);
// default: the hot path (the change and its message in one statement, outbox.prepare).
const oneStatement = process.env.BENCH_WRITE !== 'transaction';

async function produceOne(): Promise<void> {
  const n = sequence++;
  const message = { subject: `item-${n}`, version: 1, data: { itemId: `item-${n}`, bucket: n % 100, note } };
  let id: string;
  if (oneStatement) {
    const prepared = outbox.prepare(itemChanged, message);
    await database.db.execute(sql`with item as (insert into catalog.bench_items (id, bucket) values (${`item-${n}`}, ${n % 100}) returning id)
      ${prepared.statement({ when: sql`exists (select 1 from item)` })}`);
    id = prepared.envelope.id;
  } else {
    id = await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into catalog.bench_items (id, bucket) values (${`item-${n}`}, ${n % 100})`);
      return (await outbox.enqueue(tx, itemChanged, message)).id;
    });
  }
  pending.push([id, wallClock()]);
}

async function burst(count: number) {
  let remaining = count;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (remaining-- > 0) await produceOne();
  }));
}

async function paced(count: number, rate: number) {
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(produceOne());
  }
  await Promise.all(inFlight);
}

process.on('message', async (command: LoadCommand) => {
  if (command.run === 'exit') {
    clearInterval(flush);
    await database.close();
    process.exit(0);
  }
  if (command.run === 'burst') await burst(command.count);
  else await paced(command.count, command.rate);
  send({ commits: pending });
  pending = [];
  send({ done: true });
});
