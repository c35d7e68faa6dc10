import postgres from 'postgres';
import type { ServiceDatabase } from './service-databases.ts';

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!identifier.test(name)) throw new Error(`unsafe SQL identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}


/** Creates the database if missing (CREATE DATABASE cannot run in a transaction or take parameters). */
export async function ensureDatabaseExists(adminUrl: string, database: string): Promise<boolean> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [existing] = await admin`select 1 from pg_database where datname = ${database}`;
    if (existing) return false;
    await admin.unsafe(`create database ${quoteIdent(database)}`);
    return true;
  } catch (error) {
    // Another starter may have created it between the check and the create.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await admin.end();
  }
}

/**
 * Makes `database` ready for the services: one login role per service, one schema
 * owned by it, nobody else allowed in. Idempotent, so every start can run it.
 * `adminUrl` may point at any database of the cluster; the work happens in `database`.
 */
export async function provisionDatabase(options: {
  adminUrl: string;
  database: string;
  services: readonly ServiceDatabase[];
  /** Password for a role; the local default is the role's name. */
  passwordFor?: (role: string) => string;
}): Promise<void> {
  const { database, services, passwordFor = (role) => role } = options;
  const url = new URL(options.adminUrl);
  url.pathname = `/${database}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.begin(async (tx) => {
      // Serialises provisioners of the same database (advisory locks are per database).
      await tx`select pg_advisory_xact_lock(hashtext('twenny-provision'))`;
      await tx.unsafe(`revoke all on database ${quoteIdent(database)} from public`);
      await tx.unsafe('revoke all on schema public from public');
      for (const { role, schema, extensions = [] } of services) {
        await ensureRole(tx, role, passwordFor(role));
        // Connect, and nothing else at database level: no new schemas, no temp tables.
        await tx.unsafe(`revoke create, temporary on database ${quoteIdent(database)} from ${quoteIdent(role)}`);
        await tx.unsafe(`grant connect on database ${quoteIdent(database)} to ${quoteIdent(role)}`);
        await tx.unsafe(`create schema if not exists ${quoteIdent(schema)} authorization ${quoteIdent(role)}`);
        await tx.unsafe(`alter schema ${quoteIdent(schema)} owner to ${quoteIdent(role)}`);
        await tx.unsafe(`revoke all on schema ${quoteIdent(schema)} from public`);
        await tx.unsafe(`alter role ${quoteIdent(role)} in database ${quoteIdent(database)} set search_path = ${quoteIdent(schema)}`);
        for (const extension of extensions) await tx.unsafe(`create extension if not exists ${quoteIdent(extension)} with schema ${quoteIdent(schema)}`);
      }
    });
  } finally {
    await admin.end();
  }
}

/**
 * Roles are cluster-wide and may be created by a provisioner of another database
 * at the same moment: "already exists" is success. An existing role's password is
 * left alone (operators may have rotated it).
 */
async function ensureRole(tx: postgres.TransactionSql, role: string, password: string) {
  const [exists] = await tx`select 1 from pg_roles where rolname = ${role}`;
  if (exists) return;
  await tx.savepoint(async (sp) => {
    // Postgres quotes the password itself (format %L): no quoting rules of ours to get wrong.
    const [row] = await sp<{ statement: string }[]>`select format('create role %I with login password %L', ${role}::text, ${password}::text) as statement`;
    await sp.unsafe(row!.statement);
  }).catch((error: { code?: string }) => {
    if (error.code !== '42710' && error.code !== '23505') throw error;
  });
}
