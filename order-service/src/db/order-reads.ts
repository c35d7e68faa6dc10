import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { events, inventory, orders, payments, reservationItems, tickets } from './schema.ts';
import type { OrderRow } from './order-store.ts';

export interface OrderDetails {
  order: OrderRow;
  event: { title: string; slug: string; startsAt: Date; endsAt: Date; timeZone: string; refundableUntilHours: number | null; status: string } | undefined;
  items: Array<{ ticketTypeId: string; name: string; quantity: number; unitPriceMinor: number }>;
  tickets: Array<typeof tickets.$inferSelect & { ticketTypeName: string }>;
  payments: Array<typeof payments.$inferSelect>;
}

/** An order with what a buyer or the mail shows of it. */
export async function orderDetails(db: DbExecutor, orderId: string): Promise<OrderDetails | undefined> {
  return (await ordersWithDetails(db, [orderId]))[0];
}

/**
 * Orders with their event, items, tickets and payments, in the order of
 * `orderIds` (unknown ids left out). ONE statement for any number of orders:
 * the parts come along as JSON, so a page of orders, a checkout's answer and a
 * confirmation mail each cost one round trip.
 */
export async function ordersWithDetails(db: DbExecutor, orderIds: string[]): Promise<OrderDetails[]> {
  if (orderIds.length === 0) return [];
  const rows = await db
    .select({
      order: orders,
      event: sql<EventJson | null>`(select json_build_object('title', e.title, 'slug', e.slug, 'startsAt', e.starts_at, 'endsAt', e.ends_at, 'timeZone', e.time_zone, 'refundableUntilHours', e.refundable_until_hours, 'status', e.status) from ${events} e where e.event_id = ${orderColumn('event_id')})`,
      items: sql<OrderDetails['items']>`(select coalesce(json_agg(json_build_object('ticketTypeId', ri.ticket_type_id, 'name', coalesce(i.name, 'Ticket'), 'quantity', ri.quantity, 'unitPriceMinor', ri.unit_price_minor) order by ri.ticket_type_id), '[]'::json) from ${reservationItems} ri left join ${inventory} i on i.ticket_type_id = ri.ticket_type_id where ri.reservation_id = ${orderColumn('reservation_id')})`,
      tickets: sql<TicketJson[]>`(select coalesce(json_agg(json_build_object('id', t.id, 'orderId', t.order_id, 'eventId', t.event_id, 'ticketTypeId', t.ticket_type_id, 'userId', t.user_id, 'code', t.code, 'attendeeName', t.attendee_name, 'attendeeEmail', t.attendee_email, 'status', t.status, 'issuedAt', t.issued_at, 'checkedInAt', t.checked_in_at, 'checkedInBy', t.checked_in_by, 'checkedInByEmail', t.checked_in_by_email) order by t.issued_at, t.id), '[]'::json) from ${tickets} t where t.order_id = ${orderColumn('id')})`,
      payments: sql<PaymentJson[]>`(select coalesce(json_agg(json_build_object('id', p.id, 'orderId', p.order_id, 'provider', p.provider, 'providerPaymentId', p.provider_payment_id, 'status', p.status, 'amountMinor', p.amount_minor, 'currency', p.currency, 'redirectUrl', p.redirect_url, 'failureCode', p.failure_code, 'createdAt', p.created_at, 'completedAt', p.completed_at) order by p.created_at, p.id), '[]'::json) from ${payments} p where p.order_id = ${orderColumn('id')})`,
    })
    .from(orders)
    .where(inArray(orders.id, orderIds));
  const byId = new Map(rows.map((row) => [row.order.id, row]));
  return orderIds.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const names = new Map(row.items.map((i) => [i.ticketTypeId, i.name]));
    return [
      {
        order: row.order,
        event: row.event ? { ...row.event, startsAt: new Date(row.event.startsAt), endsAt: new Date(row.event.endsAt) } : undefined,
        items: row.items,
        tickets: row.tickets.map((t) => ({ ...t, issuedAt: new Date(t.issuedAt), checkedInAt: dateOrNull(t.checkedInAt), ticketTypeName: names.get(t.ticketTypeId) ?? 'Ticket' })),
        payments: row.payments.map((p) => ({ ...p, createdAt: new Date(p.createdAt), completedAt: dateOrNull(p.completedAt) })),
      },
    ];
  });
}

// JSON carries timestamps as text: these are the rows as they arrive, turned into the tables' own types above.
type EventJson = Omit<NonNullable<OrderDetails['event']>, 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string };
type TicketJson = Omit<typeof tickets.$inferSelect, 'issuedAt' | 'checkedInAt'> & { issuedAt: string; checkedInAt: string | null };
type PaymentJson = Omit<typeof payments.$inferSelect, 'createdAt' | 'completedAt'> & { createdAt: string; completedAt: string | null };

const dateOrNull = (text: string | null) => (text === null ? null : new Date(text));
/** A column of the outer `orders` row, for the correlated subqueries. */
const orderColumn = (name: string) => sql.raw(`"orders"."${name}"`);

/** The buyer's orders, newest first, a page at a time (keyset on created_at, id). */
export async function ordersOfUser(db: DbExecutor, userId: string, options: { limit: number; before?: { createdAt: Date; id: string } }): Promise<OrderRow[]> {
  const { before } = options;
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), before ? or(lt(orders.createdAt, before.createdAt), and(eq(orders.createdAt, before.createdAt), lt(orders.id, before.id))) : undefined))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(options.limit);
}

/** The buyer's tickets with their event, newest first. */
export async function ticketsOfUser(db: DbExecutor, userId: string, options: { limit: number; before?: { issuedAt: Date; id: string } }) {
  const { before } = options;
  return db
    .select({ ticket: tickets, ticketTypeName: inventory.name, eventTitle: events.title, eventSlug: events.slug, startsAt: events.startsAt, timeZone: events.timeZone })
    .from(tickets)
    .leftJoin(inventory, eq(inventory.ticketTypeId, tickets.ticketTypeId))
    .leftJoin(events, eq(events.eventId, tickets.eventId))
    .where(and(eq(tickets.userId, userId), before ? or(lt(tickets.issuedAt, before.issuedAt), and(eq(tickets.issuedAt, before.issuedAt), lt(tickets.id, before.id))) : undefined))
    .orderBy(desc(tickets.issuedAt), desc(tickets.id))
    .limit(options.limit);
}

export async function ticketById(db: DbExecutor, ticketId: string) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
  return row;
}

export async function paidOrderIdsOfEvent(db: DbExecutor, eventId: string): Promise<string[]> {
  const rows = await db.select({ id: orders.id }).from(orders).where(and(eq(orders.eventId, eventId), inArray(orders.status, ['paid'])));
  return rows.map((r) => r.id);
}
