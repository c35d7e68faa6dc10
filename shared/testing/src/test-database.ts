import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { connectDatabase, provisionDatabase, quoteIdent, runMigrations, serviceDatabases, type Database } from '@twenny/db';
import { infrastructure } from './infrastructure.ts';
import { processAlive } from './process-alive.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface TestDatabase {
  name: string;
  /** Superuser URL for this database (test set-up and assertions only). */
  adminUrl: string;
  /** Login URL of a service's own role for this database. */
  urlFor(service: string): string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** URL of `role` (password = role name, as provisioned locally) on `database`. */
export function serviceDatabaseUrl(adminUrl: string, database: string, role: string): string {
  const parsed = new URL(withDatabase(adminUrl, database));
  parsed.username = role;
  parsed.password = role;
  return parsed.toString();
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(new URL('../../db/src/provision.ts', import.meta.url))));
  for (const { service } of serviceDatabases) {
    const folder = join(repoRoot, service, 'migrations');
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) {
      hash.update(file).update(readFileSync(join(folder, file)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

let template: Promise<string> | undefined;

/**
 * A template with every service's schema, role grants and migrations, built once
 * per set of migrations (its name carries their hash) and reused by later runs.
 */
function ensureTemplate(adminUrl: string): Promise<string> {
  template ??= (async () => {
    const name = `twenny_tpl_${migrationsHash()}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const lock = await admin.reserve();
    try {
      await lock`select pg_advisory_lock(hashtext('twenny-test-template'))`;
      await dropStaleDatabases(lock, name);
      const [existing] = await lock`select 1 from pg_database where datname = ${name}`;
      if (!existing) {
        const building = `${name}_building`;
        await lock.unsafe(`drop database if exists ${quoteIdent(building)}`);
        await lock.unsafe(`create database ${quoteIdent(building)}`);
        await provisionDatabase({ adminUrl, database: building, services: serviceDatabases });
        for (const { service, schema, role } of serviceDatabases) {
          const folder = join(repoRoot, service, 'migrations');
          if (!existsSync(folder)) continue;
          const database = connectDatabase({ url: serviceDatabaseUrl(adminUrl, building, role), max: 2, applicationName: 'test-template' });
          try {
            await runMigrations(database as unknown as Database<Record<string, unknown>>, { folder, schema });
          } finally {
            await database.close();
          }
        }
        // Renamed only when complete: a crash mid-build never leaves a usable half.
        await lock.unsafe(`alter database ${quoteIdent(building)} rename to ${quoteIdent(name)}`);
      }
      return name;
    } finally {
      await lock`select pg_advisory_unlock(hashtext('twenny-test-template'))`.catch(() => undefined);
      lock.release();
      await admin.end();
    }
  })();
  return template;
}

/** Templates of other migrations, and test databases whose process is gone (a run that was killed). */
async function dropStaleDatabases(sql: postgres.Sql | postgres.ReservedSql, currentTemplate: string) {
  const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like 'twenny\_tpl\_%' or datname like 'twenny\_test\_%'`;
  for (const { datname } of rows) {
    const pid = /^twenny_test_t(\d+)x/.exec(datname)?.[1];
    const stale = (datname.startsWith('twenny_tpl_') && datname !== currentTemplate) || (pid !== undefined && !processAlive(Number(pid)));
    if (stale) await sql.unsafe(`drop database if exists ${quoteIdent(datname)} with (force)`).catch(() => undefined);
  }
}


/**
 * A database of this test file's own, cloned from the migrated template: every
 * service schema and role, nothing shared with other files or a running platform.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminDatabaseUrl } = await infrastructure();
  const templateName = await ensureTemplate(adminDatabaseUrl);
  const name = `twenny_test_t${process.pid}x${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database ${quoteIdent(name)} template ${quoteIdent(templateName)}`);
        break;
      } catch (error) {
        // 55006: another clone of the template is being made at this instant.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  // Database-level grants are not copied from a template.
  await provisionDatabase({ adminUrl: adminDatabaseUrl, database: name, services: serviceDatabases });
  return {
    name,
    adminUrl: withDatabase(adminDatabaseUrl, name),
    urlFor(service) {
      const entry = serviceDatabases.find((s) => s.service === service);
      if (!entry) throw new Error(`unknown service ${service}`);
      return serviceDatabaseUrl(adminDatabaseUrl, name, entry.role);
    },
    async drop() {
      const sql = postgres(adminDatabaseUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
