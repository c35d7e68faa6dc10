import type { catalogEventSnapshot, Envelope } from '@twenny/contracts';
import type { DbExecutor } from '@twenny/messaging';
import type { z } from 'zod';
import { syncInventory, upsertEvent, type ProjectedStatus } from '../db/event-projection.ts';

type Snapshot = z.output<typeof catalogEventSnapshot>;

/**
 * Every catalog.event.* message carries the whole sellable event: keep the
 * newest version and the inventory that goes with it. Returns whether the
 * message was newer than what was kept (cancellation acts only then).
 */
export async function applyCatalogEvent(
  tx: DbExecutor,
  message: Envelope<Snapshot>,
  options: { status?: ProjectedStatus; beforeInventory?: () => Promise<void> } = {},
): Promise<boolean> {
  const newer = await upsertEvent(tx, message.data, options.status ?? message.data.status, message.version);
  if (!newer) return false;
  // Orders are locked before inventory rows, in this order everywhere (refunds do the same).
  await options.beforeInventory?.();
  await syncInventory(tx, message.data);
  return true;
}
