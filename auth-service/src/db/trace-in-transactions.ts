import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { outboxHeaders } from '@twenny/messaging';

/**
 * auth-service's outbox rows are written by triggers (migrations/0003), which
 * cannot see the request's trace. Every transaction Better-Auth opens through
 * this wrapper first hands the trace and request id to them, as a setting local
 * to the transaction, so a sign-up's message continues the sign-up's trace.
 */
export function traceInTransactions<TSchema extends Record<string, unknown>>(db: PostgresJsDatabase<TSchema>): PostgresJsDatabase<TSchema> {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      const transaction: typeof target.transaction = (work, config) =>
        target.transaction(async (tx) => {
          const headers = outboxHeaders();
          if (Object.keys(headers).length > 0) {
            await tx.execute(sql`select set_config('twenny.message_headers', ${JSON.stringify(headers)}, true)`);
          }
          return work(tx);
        }, config);
      return transaction;
    },
  });
}
