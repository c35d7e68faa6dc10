import { inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { ticketTypesOf, type EventRow } from '../db/event-store.ts';
import { events } from '../db/schema.ts';
import { instant } from '../db/sql-values.ts';
import { publishEventChange } from './event-messages.ts';

const batchSize = 500;

/**
 * Marks published events whose end has passed as ended, a batch per
 * transaction, each change announced on the bus. Rows another replica is ending
 * at the same moment are skipped, not waited for. Returns how many it ended.
 */
export async function endPastEvents(db: DbExecutor, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const ended = await db.transaction(async (tx) => {
      const rows = (await tx.execute(sql`
        update catalog.events e set status = 'ended', version = e.version + 1, updated_at = now()
        where e.id in (
          select id from catalog.events
          where status = 'published' and ends_at <= ${instant(now)}
          order by ends_at limit ${batchSize} for update skip locked)
        returning e.id`)) as unknown as Array<{ id: string }>;
      if (rows.length === 0) return 0;
      const ended = await tx.select().from(events).where(inArray(events.id, rows.map((row) => row.id)));
      for (const event of ended) await publishEventChange(tx, event.id, 'updated', { event: event as EventRow, types: await ticketTypesOf(tx, event.id) });
      return rows.length;
    });
    total += ended;
    if (ended < batchSize) return total;
  }
}
