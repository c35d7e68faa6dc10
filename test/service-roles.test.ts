import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDatabases } from '@twenny/db';
import { createTestDatabase, type TestDatabase } from '@twenny/testing';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

async function asRole<T>(service: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(database.urlFor(service), { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('one Postgres role per service, one schema each', () => {
  it.each(serviceDatabases.map((s) => [s.service, s] as const))('%s reads and writes its own schema', async (_name, own) => {
    await asRole(own.service, async (sql) => {
      await sql.unsafe(`create table ${own.schema}.probe (id int)`);
      await sql.unsafe(`insert into ${own.schema}.probe values (1)`);
      expect(await sql.unsafe(`select count(*)::int as n from ${own.schema}.outbox`)).toEqual([{ n: 0 }]);
      await sql.unsafe(`drop table ${own.schema}.probe`);
    });
  });

  it.each(serviceDatabases.map((s) => [s.service, s] as const))('%s cannot read, write or create in any other schema', async (_name, own) => {
    await asRole(own.service, async (sql) => {
      for (const other of serviceDatabases.filter((s) => s.service !== own.service)) {
        // 42501: insufficient_privilege
        expect(await sqlState(sql.unsafe(`select * from ${other.schema}.outbox limit 1`)), `${own.role} reading ${other.schema}`).toBe('42501');
        expect(await sqlState(sql.unsafe(`delete from ${other.schema}.inbox`)), `${own.role} deleting in ${other.schema}`).toBe('42501');
        expect(await sqlState(sql.unsafe(`create table ${other.schema}.intruder (id int)`)), `${own.role} creating in ${other.schema}`).toBe('42501');
      }
      expect(await sqlState(sql.unsafe('create table public.intruder (id int)'))).toBe('42501');
      expect(await sqlState(sql.unsafe('create schema intruder')), `${own.role} creating a schema`).toBe('42501');
      expect(await sqlState(sql.unsafe('create temporary table scratch (id int)')), `${own.role} creating a temp table`).toBe('42501');
    });
  });
});
