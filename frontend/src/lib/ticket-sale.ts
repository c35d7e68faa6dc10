import type { EventDetail, TicketType } from '#lib/types/catalog.ts';
import { formatEventDate } from './format.ts';

/** Whether a ticket type can be bought now, and how the page says so. */
export interface TicketSale {
  state: 'on-sale' | 'sold-out' | 'not-started' | 'ended';
  /** "12 left", "Sold out", "Sales start Tuesday 1 December 2026 at 10:00 CET" … */
  label: string;
  /** Quantities the picker offers (empty when it cannot be bought). */
  quantities: number[];
}

// Below this many, the page says how many are left; above it, only that there are some.
const fewLeft = 20;

export function ticketSale(type: TicketType, timeZone: string, now: Date): TicketSale {
  const closed = (state: TicketSale['state'], label: string): TicketSale => ({ state, label, quantities: [] });
  if (type.salesEndAt && new Date(type.salesEndAt) <= now) return closed('ended', 'Sales ended');
  if (type.soldOut || type.available <= 0) return closed('sold-out', 'Sold out');
  if (type.salesStartAt && new Date(type.salesStartAt) > now) return closed('not-started', `Sales start ${formatEventDate(type.salesStartAt, timeZone)}`);
  const most = Math.min(type.maxPerOrder, type.available);
  const least = Math.max(1, type.minPerOrder);
  // Fewer left than one order's minimum: as good as sold out for the next buyer.
  if (most < least) return closed('sold-out', `Only ${type.available} left, fewer than the ${least} sold per order`);
  const quantities = Array.from({ length: most - least + 1 }, (_, i) => least + i);
  return { state: 'on-sale', label: type.available <= fewLeft ? `${type.available} left` : 'Available', quantities };
}

/** Why a whole event cannot be bought, or undefined while it is on sale. */
export function eventClosedReason(event: Pick<EventDetail, 'status' | 'endsAt'>, now: Date): string | undefined {
  if (event.status === 'cancelled') return 'This event was cancelled.';
  if (event.status === 'ended' || new Date(event.endsAt) <= now) return 'This event has ended.';
  if (event.status !== 'published') return 'Tickets for this event are not on sale.';
  return undefined;
}
