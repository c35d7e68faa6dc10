/**
 * The ceiling of bench:onsale, in a process of its own: the single-row
 * conditional UPDATE that sells one ticket,
 *   update bench_onsale.counter set sold = sold + 1 where id = $1 and sold < capacity
 * issued from Node with postgres.js by `concurrency` lanes at once over a pool of
 * `pool` connections (postgres.js queues the rest), until `target` updates have
 * taken a ticket. With one row every update waits for the row lock of the one
 * before it (held until its commit is flushed); with several rows each lane
 * picks one at random. The table is made afresh in the benchmark's own database.
 */
import postgres from 'postgres';
import type { Latencies } from './onsale-buyers.ts';

export interface CeilingCommand {
  /** A superuser URL of the benchmark's own database. */
  url: string;
  pool: number;
  concurrency: number;
  rows: number;
  capacityPerRow: number;
  target: number;
}

export type CeilingNotice = { kind: 'started' } | { kind: 'reached' };

export interface CeilingReport {
  kind: 'report';
  updates: number;
  /** ms from the first update to the one that reached the target. */
  elapsedMs: number;
  /** Updates that found the row sold out (took nothing). */
  empty: number;
  latency: Latencies;
}

function latencies(values: number[]): Latencies {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

async function run(command: CeilingCommand): Promise<CeilingReport> {
  const { pool, concurrency, rows, capacityPerRow, target } = command;
  const sql = postgres(command.url, { max: pool, onnotice: () => {}, connection: { application_name: 'bench-onsale-ceiling' } });
  try {
    await sql`create schema if not exists bench_onsale`;
    await sql`create table if not exists bench_onsale.counter (id int primary key, sold int not null, capacity int not null)`;
    await sql`truncate bench_onsale.counter`;
    await sql`insert into bench_onsale.counter (id, sold, capacity) select g, 0, ${capacityPerRow} from generate_series(1, ${rows}) g`;
    // Every connection of the pool open before the clock starts.
    await Promise.all(Array.from({ length: pool }, () => sql`select 1`));

    let updates = 0;
    let empty = 0;
    let reachedAt = 0;
    let done = false;
    const lat: number[] = [];
    const t0 = performance.now();
    process.send!({ kind: 'started' } satisfies CeilingNotice);
    const lane = async () => {
      while (!done) {
        const id = rows === 1 ? 1 : 1 + Math.floor(Math.random() * rows);
        const start = performance.now();
        const result = await sql`update bench_onsale.counter set sold = sold + 1 where id = ${id} and sold < capacity`;
        const now = performance.now();
        if (result.count === 1) {
          lat.push(now - start);
          if (++updates === target) {
            reachedAt = now - t0;
            done = true;
            process.send!({ kind: 'reached' } satisfies CeilingNotice);
          }
        } else {
          empty++;
          if (rows === 1) done = true;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    const [{ sold }] = (await sql`select sum(sold)::int as sold from bench_onsale.counter`) as unknown as [{ sold: number }];
    if (sold !== updates) throw new Error(`the counter says ${sold} sold, the lanes counted ${updates}`);
    return { kind: 'report', updates: Math.min(updates, target), elapsedMs: reachedAt || performance.now() - t0, empty, latency: latencies(lat) };
  } finally {
    await sql.end();
  }
}

process.on('message', (command: CeilingCommand) => {
  run(command).then(
    (report) => process.send!(report),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
