import { pgSchema } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { defineMessage } from '@twenny/contracts';
import { messagingTables } from '@twenny/messaging';

/** What the bus benchmark sends: a realistic small message (~400 bytes with its envelope). */
export const itemChanged = defineMessage({
  type: 'bench.item.changed.v1',
  data: z.object({ itemId: z.string(), bucket: z.number().int(), note: z.string() }),
  fixture: { itemId: 'i', bucket: 0, note: '' },
  personalData: [],
});

export const benchTables = messagingTables(pgSchema('catalog'));

/** Milliseconds on a clock both benchmark processes share. */
export const wallClock = () => performance.timeOrigin + performance.now();

export type LoadCommand = { run: 'burst'; count: number } | { run: 'paced'; count: number; rate: number } | { run: 'exit' };
export type LoadReport = { commits: Array<[id: string, at: number]> } | { done: true };
