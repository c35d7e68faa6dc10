import postgres, { type Sql } from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Logger } from '@twenny/logger';

export interface Database<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** postgres.js client: LISTEN/NOTIFY, COPY and hand-written hot-path SQL. */
  sql: Sql;
  /** Drizzle over the same pool. */
  db: PostgresJsDatabase<TSchema>;
  ping(): Promise<void>;
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * One small pool per process. This Postgres allows 100 connections for every
 * service, worker, test and benchmark together, so pools default to 5.
 */
export function connectDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(options: {
  url: string;
  max?: number;
  applicationName: string;
  logger?: Logger;
  schema?: TSchema;
  /** Run-time settings for every connection of the pool (sent when it connects). */
  settings?: Record<string, string>;
  /** Named prepared statements (default). Off only behind a pooler that cannot keep them (PgBouncer in transaction mode). */
  prepare?: boolean;
}): Database<TSchema> {
  const sql = postgres(options.url, {
    max: options.max ?? 5,
    idle_timeout: 30,
    connect_timeout: 10,
    prepare: options.prepare ?? true,
    connection: { ...options.settings, application_name: options.applicationName },
    onnotice: (notice) => options.logger?.debug({ notice: notice.message }, 'postgres notice'),
  });
  const db = drizzle({ client: preparingClient(sql), schema: options.schema });
  return {
    sql,
    db: db as unknown as PostgresJsDatabase<TSchema>,
    async ping() {
      await sql`select 1`;
    },
    async close(timeoutSeconds = 5) {
      await sql.end({ timeout: timeoutSeconds });
    },
  };
}

/**
 * The client as Drizzle should see it: every statement prepared (named, parsed
 * and planned once per connection, then one round trip per execution).
 *
 * Drizzle's postgres-js driver runs every query not built with `.prepare(name)`
 * through `sql.unsafe(text, params, { prepare: false })`, whatever the client
 * was configured with (drizzle-orm#6096). postgres.js then sends such a query
 * with parameters in two round trips (describe, then bind and execute) and
 * Postgres parses and plans it every time: measured on a checkout, half the
 * time a statement spent in Postgres, and in a transaction every extra round
 * trip holds its row locks longer. Transactions and savepoints hand Drizzle a
 * client of their own, wrapped alike.
 */
function preparingClient(sql: Sql, prepare = sql.options.prepare !== false): Sql {
  const wrapCallback = (args: unknown[]) => args.map((arg) => (typeof arg === 'function' ? (inner: Sql) => (arg as (inner: Sql) => unknown)(preparingClient(inner, prepare)) : arg));
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (text: string, params?: unknown[], queryOptions?: { prepare?: boolean }) => target.unsafe(text, params as never, { ...queryOptions, prepare: prepare || queryOptions?.prepare === true });
      }
      if (property === 'begin' || property === 'savepoint') {
        const original = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => original.apply(target, wrapCallback(args));
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
