/**
 * Why a hold was refused, worked out from what the database holds right after
 * the refusal. The database decides (the hold statement and its constraints);
 * these rules only put its "no" into words a buyer can act on. No I/O.
 */

export interface EventFacts {
  status: string;
  endsAt: Date;
}

export interface TicketTypeFacts {
  ticketTypeId: string;
  name: string;
  capacity: number;
  held: number;
  sold: number;
  salesStartAt: Date | null;
  salesEndAt: Date | null;
  minPerOrder: number;
  maxPerOrder: number;
  hidden: boolean;
  removed: boolean;
}

export interface WantedItem {
  ticketTypeId: string;
  quantity: number;
}

export type HoldRefusal =
  | { kind: 'unknown-event' }
  | { kind: 'not-on-sale'; status: string }
  | { kind: 'invalid'; errors: Array<{ name: string; reason: string }> }
  | { kind: 'over-buyer-limit'; limit: number; alreadyHeldOrBought: number }
  | { kind: 'not-enough-left'; left: Array<{ ticketTypeId: string; name: string; available: number; wanted: number }> }
  | { kind: 'busy' };

export function explainHoldRefusal(input: {
  event: EventFacts | undefined;
  ticketTypes: TicketTypeFacts[];
  items: WantedItem[];
  now: Date;
  buyer: { tickets: number; limit: number };
}): HoldRefusal {
  const { event, ticketTypes, items, now, buyer } = input;
  if (!event || event.status === 'deleted' || event.status === 'draft') return { kind: 'unknown-event' };
  if (event.status !== 'published' || event.endsAt <= now) return { kind: 'not-on-sale', status: event.status === 'published' ? 'ended' : event.status };

  const byId = new Map(ticketTypes.map((t) => [t.ticketTypeId, t]));
  const errors = items.flatMap((item, index) => itemErrors(byId.get(item.ticketTypeId), item, now).map((reason) => ({ name: `body.items[${index}]`, reason })));
  if (errors.length > 0) return { kind: 'invalid', errors };

  const wanted = items.reduce((sum, item) => sum + item.quantity, 0);
  if (buyer.tickets + wanted > buyer.limit) return { kind: 'over-buyer-limit', limit: buyer.limit, alreadyHeldOrBought: buyer.tickets };

  const left = items.flatMap((item) => {
    const t = byId.get(item.ticketTypeId)!;
    const available = Math.max(0, t.capacity - t.held - t.sold);
    return available < item.quantity ? [{ ticketTypeId: t.ticketTypeId, name: t.name, available, wanted: item.quantity }] : [];
  });
  if (left.length > 0) return { kind: 'not-enough-left', left };
  // Everything allows it now: another request changed the numbers in between.
  return { kind: 'busy' };
}

function itemErrors(t: TicketTypeFacts | undefined, item: WantedItem, now: Date): string[] {
  if (!t || t.hidden || t.removed) return [`Ticket type ${item.ticketTypeId} is not on sale for this event.`];
  if (t.salesStartAt && t.salesStartAt > now) return [`Sales of "${t.name}" start at ${t.salesStartAt.toISOString()}.`];
  if (t.salesEndAt && t.salesEndAt <= now) return [`Sales of "${t.name}" ended at ${t.salesEndAt.toISOString()}.`];
  if (item.quantity < t.minPerOrder) return [`"${t.name}" is sold at least ${t.minPerOrder} per order.`];
  if (item.quantity > t.maxPerOrder) return [`"${t.name}" is sold at most ${t.maxPerOrder} per order.`];
  return [];
}
