import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { mails, refunds } from './schema.ts';

export async function mailById(db: DbExecutor, mailId: string) {
  const [row] = await db.select().from(mails).where(eq(mails.id, mailId));
  return row;
}

export async function markMailSent(db: DbExecutor, mailId: string): Promise<void> {
  await db.update(mails).set({ status: 'sent', sentAt: sql`now()`, attempts: sql`${mails.attempts} + 1` }).where(and(eq(mails.id, mailId), eq(mails.status, 'pending')));
}

export async function recordMailFailure(db: DbExecutor, mailId: string, error: string): Promise<void> {
  await db.update(mails).set({ attempts: sql`${mails.attempts} + 1`, lastError: error.slice(0, 500) }).where(eq(mails.id, mailId));
}

export async function pendingMailIds(db: DbExecutor, options: { olderThanMs: number; limit: number }): Promise<string[]> {
  const rows = await db
    .select({ id: mails.id })
    .from(mails)
    .where(and(eq(mails.status, 'pending'), sql`${mails.createdAt} <= now() - make_interval(secs => ${options.olderThanMs / 1000})`))
    // Mail that keeps failing sinks: it never holds up newer mail.
    .orderBy(asc(mails.attempts), asc(mails.createdAt))
    .limit(options.limit);
  return rows.map((r) => r.id);
}

export async function refundOf(db: DbExecutor, orderId: string) {
  const [row] = await db.select().from(refunds).where(and(eq(refunds.orderId, orderId), sql`${refunds.reason} <> 'duplicate-payment'`));
  return row;
}
