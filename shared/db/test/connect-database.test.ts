import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createTestDatabase, type TestDatabase } from '@twenny/testing';
import { connectDatabase, type Database } from '../src/index.ts';

const probe = pgTable('prepare_probe', { id: integer('id').primaryKey(), name: text('name').notNull() });

let testDatabase: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = connectDatabase({ url: testDatabase.adminUrl, max: 1, applicationName: 'connect-database-test' });
  await database.sql`create table prepare_probe (id int primary key, name text not null)`;
});

afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
});

/** The statements this pool's one connection has prepared, by text. */
async function preparedStatements(): Promise<string[]> {
  const rows = await database.sql<Array<{ statement: string }>>`select statement from pg_prepared_statements`;
  return rows.map((r) => r.statement);
}

describe('connectDatabase: Drizzle queries are prepared statements', () => {
  it('a query builder statement and db.execute are each prepared once on the connection and reused', async () => {
    for (let i = 1; i <= 3; i++) {
      await database.db.insert(probe).values({ id: i, name: `n${i}` });
      await database.db.execute(sql`select count(*) from prepare_probe where id <= ${i}`);
    }
    const statements = await preparedStatements();
    expect(statements.filter((s) => s.startsWith('insert into "prepare_probe"'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('select count(*) from prepare_probe'))).toHaveLength(1);
    expect(await database.db.select().from(probe)).toHaveLength(3);
  });

  it('inside transactions and savepoints too, and a rollback still rolls back', async () => {
    await database.db.transaction(async (tx) => {
      await tx.update(probe).set({ name: 'in tx' }).where(eq(probe.id, 1));
      await tx.transaction(async (nested) => {
        await nested.update(probe).set({ name: 'in savepoint' }).where(eq(probe.id, 2));
      });
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.update(probe).set({ name: 'rolled back' }).where(eq(probe.id, 3));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const statements = await preparedStatements();
        expect(statements.filter((s) => s.startsWith('update "prepare_probe"'))).toHaveLength(1);
    const names = Object.fromEntries((await database.db.select().from(probe)).map((r) => [r.id, r.name]));
    expect(names).toEqual({ 1: 'in tx', 2: 'in savepoint', 3: 'n3' });
  });

  it('a pool configured without prepared statements (a transaction pooler in front) keeps them unnamed', async () => {
    const unprepared = connectDatabase({ url: testDatabase.adminUrl, max: 1, applicationName: 'connect-database-test-unprepared', prepare: false });
    try {
      await unprepared.db.execute(sql`select ${1}::int + 1 as two`);
      const rows = await unprepared.sql.unsafe<Array<{ n: number }>>('select count(*)::int as n from pg_prepared_statements');
      expect(rows[0]!.n).toBe(0);
    } finally {
      await unprepared.close();
    }
  });
});
