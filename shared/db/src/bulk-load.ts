/**
 * Bulk loading for the huge seeds (catalog's and order-service's): COPY in a
 * transaction per table, COPY text format, a progress line per table.
 */
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from './connect-database.ts';

export type Sql = Database['sql'];
export type ReservedSql = Awaited<ReturnType<Sql['reserve']>>;

export interface Table {
  /** Schema-qualified: `orders.tickets`. */
  name: string;
  columns: readonly string[];
}

export interface TableLoad {
  table: string;
  rows: number;
  seconds: number;
}

const rowsPerChunk = 1_000;

/**
 * COPY `chunks` into `table` in a transaction of its own, on a reserved
 * connection (foreign keys are checked as the rows arrive).
 */
export async function copyInto(sql: Sql, table: Table, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const connection = await sql.reserve();
  try {
    await connection`begin`;
    await copyOn(connection, table, chunks);
    await connection`commit`;
  } catch (error) {
    await connection`rollback`.catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

/** COPY as a bulk load (see `bulkLoad`): for tables far larger than memory, with their indexes built once at the end. */
export async function bulkCopyInto(sql: Sql, table: Table, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  await bulkLoad(sql, table.name, (connection) => copyOn(connection, table, chunks));
}

/**
 * The COPY itself, in the connection's open transaction. postgres.js (3.4.9)
 * never settles the COPY stream when the server rejects the rows after their
 * end (porsager/postgres#1173; foreign keys are checked then), which would hang
 * the load. So the end is awaited through a query queued behind the COPY: it
 * fails, the transaction being aborted, exactly when the COPY did.
 */
async function copyOn(connection: ReservedSql, table: Table, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const stream = await connection`copy ${connection(table.name)} (${connection(table.columns as string[])}) from stdin`.writable();
  // One chunk read ahead at a time: progress then counts rows sent, not rows queued.
  await pipeline(Readable.from(chunks, { highWaterMark: 1 }), stream, { end: false }).catch((error: unknown) => {
    stream.destroy(error as Error); // aborts the COPY, so that the transaction can roll back
    throw error;
  });
  stream.end();
  try {
    await whenAccepted(() => connection`select 1`);
  } catch (error) {
    if ((error as { code?: string }).code !== '25P02') throw error;
    throw new Error(`Postgres rejected the rows for ${table.name}; postgres.js loses its reason after the end of a COPY, the server log has it`, { cause: error });
  }
  await finished(stream);
}

/**
 * Fills `table` in one transaction the way pg_restore does: its foreign keys
 * and secondary indexes (not its primary key or other constraints) are
 * dropped, `load` runs, and they are added back. Postgres then checks each
 * foreign key with one join instead of a trigger per row, and builds each
 * index with one sort instead of millions of random inserts into a B-tree
 * larger than shared_buffers, writing far less WAL. The table's own triggers
 * (not those of its keys) do not fire meanwhile, as with pg_restore
 * --disable-triggers: the caller writes whatever they would have. DDL is
 * transactional: a failed load, or a row whose key has no match, rolls
 * everything back and leaves the table as it was. Needs the table's owner or a
 * superuser.
 */
export async function bulkLoad<T>(sql: Sql, table: string, load: (connection: ReservedSql) => Promise<T>): Promise<T> {
  const connection = await sql.reserve();
  try {
    await connection`begin`;
    const foreignKeys = await connection<{ name: string; definition: string }[]>`
      select quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
      from pg_constraint where conrelid = ${table}::regclass and contype = 'f' order by conname`;
    const indexes = await connection<{ name: string; definition: string }[]>`
      select format('%I.%I', n.nspname, c.relname) as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where i.indrelid = ${table}::regclass and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`;
    for (const key of foreignKeys) await connection.unsafe(`alter table ${table} drop constraint ${key.name}`);
    for (const index of indexes) await connection.unsafe(`drop index ${index.name}`);
    await connection.unsafe(`alter table ${table} disable trigger user`);
    const result = await load(connection);
    await connection.unsafe(`alter table ${table} enable trigger user`);
    await connection`set local maintenance_work_mem = '256MB'`;
    for (const index of indexes) await connection.unsafe(index.definition);
    for (const key of foreignKeys) await connection.unsafe(`alter table ${table} add constraint ${key.name} ${key.definition}`);
    await connection`commit`;
    return result;
  } catch (error) {
    await connection`rollback`.catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

/** Runs `query` on a COPY's connection, retrying until the stream has sent the end of the data (before that, postgres.js refuses it). */
async function whenAccepted(query: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await query();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'COPY_IN_PROGRESS') throw error;
      await sleep(5);
    }
  }
}

/** The rows of `query` as COPY text fields (`\\N` is null; text needs `copyUnescape`). */
export async function* copyOut(sql: Sql, query: string): AsyncGenerator<string[]> {
  const stream = await sql.unsafe(`copy (${query}) to stdout`).readable();
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) yield line.split('\t');
  }
  if (rest !== '') yield rest.split('\t');
}

// ---------------------------------------------------------------------------
// COPY text format

const copySpecial = /[\\\t\n\r]/g;
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field as COPY reads it. Values known to be plain (uuids, numbers, ISO times) need not go through this. */
export const copyText = (value: string): string => value.replace(copySpecial, (c) => copyEscapes[c]!);

const copyUnescapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A text field as COPY TO wrote it (which never uses octal or hex escapes). */
export const copyUnescape = (field: string): string => (field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => copyUnescapes[c] ?? c) : field);

/** `\N`, COPY's null. */
export const copyNull = '\\N';

const pad2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const datePrefixes = new Map<number, string>();
const msPerDay = 86_400_000;

/**
 * An instant (epoch ms, whole) as ISO 8601 in UTC, like Date#toISOString but
 * several times faster: the seed writes tens of millions of them. The date
 * part is remembered per day.
 */
export function iso(ms: number): string {
  const days = Math.floor(ms / msPerDay);
  let prefix = datePrefixes.get(days);
  if (prefix === undefined) {
    prefix = new Date(days * msPerDay).toISOString().slice(0, 11);
    datePrefixes.set(days, prefix);
  }
  let rest = ms - days * msPerDay;
  const milliseconds = rest % 1000;
  rest = (rest - milliseconds) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  return `${prefix}${pad2[(rest - minutes) / 60]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[milliseconds]}Z`;
}

/** Lines (each ending in "\n") in chunks: a stream write per row would cost more than the row. */
export function* chunkedSync(lines: Iterable<string>, onRows: (rows: number) => void): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === rowsPerChunk) {
      onRows(batch.length);
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length > 0) {
    onRows(batch.length);
    yield batch.join('');
  }
}

// ---------------------------------------------------------------------------
// Progress

export type Progress = ReturnType<typeof createProgress>;

export const count = (n: number): string => n.toLocaleString('en-US');

/** A line per table, rewritten about twice a second while it loads (`write` receives it starting with "\r"). */
export function createProgress(write: ((text: string) => void) | undefined) {
  let loading = false;
  let table = '';
  let total = 0;
  let done = 0;
  let startedAt = 0;
  const line = () => {
    const seconds = (performance.now() - startedAt) / 1000;
    if (loading && total < 0) return `\r${`${table.padEnd(30)} ${seconds.toFixed(0)} s`.padEnd(90)}`;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    // Every row sent: Postgres still checks foreign keys, builds indexes and commits.
    const finishing = loading && done === total ? ', finishing' : '';
    const text = `${table.padEnd(30)} ${count(done).padStart(9)} / ${count(total)}  ${String(percent).padStart(3)}%  ${count(rate)} rows/s${finishing}`;
    return `\r${text.padEnd(90)}`; // the padding covers what a longer line left
  };
  const timer = write && setInterval(() => loading && write(line()), 500).unref();
  return {
    /** `rows` to send, or -1 for a statement that counts them itself. */
    start(name: string, rows: number) {
      [loading, table, total, done, startedAt] = [true, name, rows, 0, performance.now()];
    },
    add: (rows: number) => {
      done += rows;
    },
    /** Ends the table; `rows` when they were counted by Postgres rather than sent. */
    end(rows?: number): TableLoad {
      loading = false;
      if (rows !== undefined) [done, total] = [rows, rows];
      const seconds = (performance.now() - startedAt) / 1000;
      write?.(total < 0 ? `\r${`${table.padEnd(30)} done in ${seconds.toFixed(1)} s`.padEnd(90)}\n` : `${line()}\n`);
      return { table, rows: done, seconds };
    },
    stop: () => clearInterval(timer),
  };
}

export function formatLoads(title: string, tables: readonly TableLoad[], seconds: number, note = ''): string {
  const rows = tables.reduce((sum, t) => sum + t.rows, 0);
  const lines = tables.map((t) => `  ${t.table.padEnd(30)} ${count(t.rows).padStart(10)} rows  ${t.seconds.toFixed(1).padStart(6)} s  ${count(Math.round(t.rows / Math.max(t.seconds, 0.001))).padStart(9)} rows/s`);
  return `${title}: ${count(rows)} rows in ${seconds.toFixed(1)} s (${count(Math.round(rows / seconds))} rows/s${note})\n${lines.join('\n')}\n`;
}
