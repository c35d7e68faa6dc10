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
export async function applyCatalogEvent(tx: DbExecutor, message: Envelope<Snapshot>, status: ProjectedStatus = message.data.status): Promise<boolean> {
  const newer = await upsertEvent(tx, message.data, status, message.version);
  if (newer) await syncInventory(tx, message.data);
  return newer;
}
