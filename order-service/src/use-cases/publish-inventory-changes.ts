import { sql } from 'drizzle-orm';
import { inventoryChangedV1 } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import { orderOutbox } from '../messaging/order-outbox.ts';

/**
 * Puts the latest numbers of every ticket type that changed since it was last
 * announced on the bus (order.inventory.changed.v1), in one transaction with
 * the outbox rows. A trigger marks each changed ticket type (inventory_changes);
 * this takes the marks and reads the rows as they are now, so a burst of
 * changes becomes one message and the latest state always goes out. A change
 * committed after the read marks its row again, for the next round. Several
 * replicas can run it at once (SKIP LOCKED).
 */
export async function publishInventoryChanges(db: DbExecutor, batch = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = (await tx.execute(sql`
      with taken as (
        delete from orders.inventory_changes
        where ticket_type_id in (select ticket_type_id from orders.inventory_changes order by ticket_type_id limit ${batch} for update skip locked)
        returning ticket_type_id
      )
      select i.ticket_type_id, i.event_id, i.capacity, i.held, i.sold, i.version
      from orders.inventory i join taken using (ticket_type_id)
    `)) as unknown as Array<{ ticket_type_id: string; event_id: string; capacity: number; held: number; sold: number; version: number }>;
    // Sent together (one round trip): changes to these ticket types wait for their marks meanwhile.
    await Promise.all(
      rows.map((row) =>
        tx.execute(
          orderOutbox
            .prepare(inventoryChangedV1, {
              subject: row.ticket_type_id,
              version: row.version,
              data: { ticketTypeId: row.ticket_type_id, eventId: row.event_id, capacity: row.capacity, held: row.held, sold: row.sold, available: Math.max(0, row.capacity - row.held - row.sold) },
            })
            .statement(),
        ),
      ),
    );
    return rows.length;
  });
}
