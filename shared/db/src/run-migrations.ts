import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './connect-database.ts';

/**
 * Applies a service's drizzle-kit migrations. The bookkeeping table lives in the
 * service's own schema: its role can touch nothing else. A session advisory lock,
 * held on a reserved connection while the pool migrates, makes replicas that start
 * together apply each migration once.
 */
export async function runMigrations(
  database: Database<Record<string, unknown>>,
  options: { folder: string; schema: string },
): Promise<void> {
  if (database.sql.options.max < 2) throw new Error('runMigrations needs a pool of at least 2 connections (one holds the lock)');
  const lockKey = `twenny-migrations:${options.schema}`;
  const lock = await database.sql.reserve();
  try {
    await lock`select pg_advisory_lock(hashtext(${lockKey}))`;
    await migrate(database.db, {
      migrationsFolder: options.folder,
      migrationsSchema: options.schema,
      migrationsTable: '__drizzle_migrations',
    });
  } finally {
    await lock`select pg_advisory_unlock(hashtext(${lockKey}))`.catch(() => undefined);
    lock.release();
  }
}
