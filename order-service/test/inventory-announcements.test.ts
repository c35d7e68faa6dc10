import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbExecutor } from '@twenny/messaging';
import { publishInventoryChanges } from '../src/use-cases/publish-inventory-changes.ts';
import { startTestOrderService, type TestOrderService } from './support/order-service.ts';

let orders: TestOrderService;

beforeAll(async () => {
  // The service's own publisher runs rarely here: the test runs it by hand, at the moments that matter.
  orders = await startTestOrderService({ ORDER_INVENTORY_PUBLISH_MS: '60000' });
});
afterAll(async () => {
  await orders?.stop();
});

/** The newest version announced for a ticket type (order.inventory.changed.v1 in the outbox). */
async function announcedVersion(ticketTypeId: string): Promise<number | undefined> {
  const [row] = await orders.sql`select max((envelope->>'version')::int) as version from orders.outbox where type = 'order.inventory.changed.v1' and envelope->>'subject' = ${ticketTypeId}`;
  return (row?.version as number | null) ?? undefined;
}

describe('order.inventory.changed.v1', () => {
  it('announces a change that commits while the publisher takes the mark an earlier change left', async () => {
    const event = await orders.publishEvent();
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    const db = orders.service.database.db as unknown as DbExecutor;
    await publishInventoryChanges(db);
    // An earlier change, committed: its mark waits for the publisher.
    await orders.sql`update orders.inventory set held = held + 1, version = version + 1 where ticket_type_id = ${ticketTypeId}`;

    // A later change, not yet committed, when the publisher runs.
    const later = await orders.sql.reserve();
    try {
      await later`begin`;
      await later`update orders.inventory set held = held + 2, version = version + 1 where ticket_type_id = ${ticketTypeId}`;
      await publishInventoryChanges(db);
      await later`commit`;
    } finally {
      later.release();
    }

    await publishInventoryChanges(db);
    const [row] = await orders.sql`select held, version from orders.inventory where ticket_type_id = ${ticketTypeId}`;
    expect(row).toMatchObject({ held: 3 });
    expect(await announcedVersion(ticketTypeId)).toBe(row!.version);
  });

  it('announces each ticket type once for a burst of changes, with the latest numbers', async () => {
    const event = await orders.publishEvent();
    const ticketTypeId = event.ticketTypes[0]!.ticketTypeId;
    const db = orders.service.database.db as unknown as DbExecutor;
    await publishInventoryChanges(db);
    const before = await orders.sql`select count(*)::int as n from orders.outbox where type = 'order.inventory.changed.v1' and envelope->>'subject' = ${ticketTypeId}`;
    for (let i = 0; i < 5; i++) await orders.sql`update orders.inventory set held = held + 1, version = version + 1 where ticket_type_id = ${ticketTypeId}`;
    expect(await publishInventoryChanges(db)).toBeGreaterThanOrEqual(1);
    const after = await orders.sql`select count(*)::int as n from orders.outbox where type = 'order.inventory.changed.v1' and envelope->>'subject' = ${ticketTypeId}`;
    expect(after[0]!.n - before[0]!.n).toBe(1);
    const [row] = await orders.sql`select version from orders.inventory where ticket_type_id = ${ticketTypeId}`;
    expect(await announcedVersion(ticketTypeId)).toBe(row!.version);
  });
});
