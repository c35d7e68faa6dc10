import { sql } from 'drizzle-orm';
import { inventoryChangedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { orderOutbox } from '../messaging/order-outbox.ts';

/**
 * Puts the latest numbers of every ticket type that changed since it was last
 * announced on the bus (order.inventory.changed.v1), with the outbox rows in the
 * same transaction as the mark. Holds and sales only bump a version; calling
 * this every few hundred milliseconds coalesces a burst into one message per
 * ticket type, and the latest state always goes out. Rows being changed right
 * now are skipped until the next round; several replicas can run it at once.
 */
export async function publishInventoryChanges(db: DbExecutor, batch = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = (await tx.execute(sql`
      with due as (
        select ticket_type_id from orders.inventory
        where version > published_version
        order by ticket_type_id
        limit ${batch}
        for update skip locked
      )
      update orders.inventory i set published_version = i.version
      from due where i.ticket_type_id = due.ticket_type_id
      returning i.ticket_type_id, i.event_id, i.capacity, i.held, i.sold, i.version
    `)) as unknown as Array<{ ticket_type_id: string; event_id: string; capacity: number; held: number; sold: number; version: number }>;
    for (const row of rows) {
      await orderOutbox.enqueue(tx, inventoryChangedV1, {
        subject: row.ticket_type_id,
        version: row.version,
        data: { ticketTypeId: row.ticket_type_id, eventId: row.event_id, capacity: row.capacity, held: row.held, sold: row.sold, available: Math.max(0, row.capacity - row.held - row.sold) },
      });
    }
    return rows.length;
  });
}
