import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './connect-database.ts';
import { quoteIdent } from './provision.ts';

/**
 * Applies a service's drizzle-kit migrations, keeping drizzle's bookkeeping table
 * format (`__drizzle_migrations`, so drizzle-kit's tools still read it) inside the
 * service's own schema.
 *
 * Why not drizzle's migrate(): it always runs CREATE SCHEMA IF NOT EXISTS, which
 * needs CREATE on the whole database even when the schema exists, and a service
 * role must not be able to create schemas. The schema itself is made by
 * provisioning, owned by the role.
 *
 * A session advisory lock, held on a reserved connection while the pool migrates,
 * makes replicas that start together apply each migration once. All pending
 * migrations apply in one transaction.
 */
export async function runMigrations(database: Database<Record<string, unknown>>, options: { folder: string; schema: string }): Promise<number> {
  const { sql } = database;
  if (sql.options.max < 2) throw new Error('runMigrations needs a pool of at least 2 connections (one holds the lock)');
  const migrations = readMigrationFiles({ migrationsFolder: options.folder });
  const table = `${quoteIdent(options.schema)}."__drizzle_migrations"`;
  const lockKey = `twenny-migrations:${options.schema}`;
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(hashtext(${lockKey}))`;
    await sql.unsafe(`create table if not exists ${table} (id serial primary key, hash text not null, created_at bigint)`);
    const [last] = await sql.unsafe<{ created_at: string }[]>(`select created_at from ${table} order by created_at desc limit 1`);
    const pending = migrations.filter((m) => !last || Number(last.created_at) < m.folderMillis);
    if (pending.length === 0) return 0;
    await sql.begin(async (tx) => {
      for (const migration of pending) {
        for (const statement of migration.sql) if (statement.trim()) await tx.unsafe(statement);
        await tx.unsafe(`insert into ${table} (hash, created_at) values ($1, $2)`, [migration.hash, migration.folderMillis]);
      }
    });
    return pending.length;
  } finally {
    await lock`select pg_advisory_unlock(hashtext(${lockKey}))`.catch(() => undefined);
    lock.release();
  }
}
