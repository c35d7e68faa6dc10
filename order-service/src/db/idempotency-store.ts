import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { idempotencyKeys } from './schema.ts';

export interface KeyRef {
  userId: string;
  scope: string;
  key: string;
}

const match = (ref: KeyRef) => and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.scope, ref.scope), eq(idempotencyKeys.key, ref.key));

/** Claims the key for this request; false when another request has it (done or running). */
export async function claimKey(db: DbExecutor, ref: KeyRef, requestHash: string): Promise<boolean> {
  const rows = await db.insert(idempotencyKeys).values({ ...ref, requestHash }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

/** Takes over a key whose request never finished (its process died) after `staleMs`. */
export async function claimStaleKey(db: DbExecutor, ref: KeyRef, requestHash: string, staleMs: number): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ createdAt: sql`now()` })
    .where(and(match(ref), eq(idempotencyKeys.requestHash, requestHash), isNull(idempotencyKeys.completedAt), lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${staleMs / 1000})`)))
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

export async function readKey(db: DbExecutor, ref: KeyRef) {
  const [row] = await db.select().from(idempotencyKeys).where(match(ref));
  return row;
}

export async function completeKey(db: DbExecutor, ref: KeyRef, response: { status: number; body: unknown }): Promise<void> {
  await db.update(idempotencyKeys).set({ responseStatus: response.status, responseBody: response.body, completedAt: sql`now()` }).where(match(ref));
}

/** Lets the key be used again: its request failed in a way a retry may fix. */
export async function releaseKey(db: DbExecutor, ref: KeyRef): Promise<void> {
  await db.delete(idempotencyKeys).where(and(match(ref), isNull(idempotencyKeys.completedAt)));
}

export async function pruneKeys(db: DbExecutor, olderThanHours: number): Promise<number> {
  const rows = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${olderThanHours})`)).returning({ key: idempotencyKeys.key });
  return rows.length;
}
