import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** A Drizzle database or transaction: use cases pass their transaction down. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DbExecutor = PgDatabase<PgQueryResultHKT, any, any>;
