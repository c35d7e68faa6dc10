import type { TicketTypeValues } from './types/organiser.ts';

/** An empty ticket-type row of the event editor (the API's defaults for the order limits). */
export function blankTicketType(): TicketTypeValues {
  return { name: '', description: '', price: '', capacity: '', minPerOrder: '1', maxPerOrder: '10', salesStartAt: '', salesEndAt: '', hidden: false };
}
