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
}): Database<TSchema> {
  const sql = postgres(options.url, {
    max: options.max ?? 5,
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { ...options.settings, application_name: options.applicationName },
    onnotice: (notice) => options.logger?.debug({ notice: notice.message }, 'postgres notice'),
  });
  const db = drizzle({ client: sql, schema: options.schema });
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
