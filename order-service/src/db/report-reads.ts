import { and, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { events, inventory, orders, tickets } from './schema.ts';

/*
 * Reads behind the organiser's views of one event. Money always comes from the
 * orders (each reservation item keeps the unit price it was sold at), never
 * from today's price × sold: prices change.
 *
 * Which orders count:
 * - a sale is an order that was paid: `paid_at` set and status paid, refunding
 *   or refunded. (A late payment refunded because the tickets were gone goes
 *   refunding → refunded without ever being paid: no sale, no refund here.)
 * - a refund is such an order whose refund completed (status refunded). One
 *   still `refunding` counts as sold: its tickets are valid and its money not
 *   yet returned until the provider confirms.
 */

/** The event as the reports need it (order-service's projection of catalog's event). */
export async function reportEvent(db: DbExecutor, eventId: string) {
  const [row] = await db
    .select({ eventId: events.eventId, organizationId: events.organizationId, title: events.title, slug: events.slug, status: events.status, timeZone: events.timeZone, currency: events.currency })
    .from(events)
    .where(eq(events.eventId, eventId));
  return row;
}

export interface TicketTypeSales {
  ticketTypeId: string;
  name: string;
  priceMinor: number;
  capacity: number;
  /** Inventory counter: tickets of paid (and refunding) orders; a completed refund gives them back. */
  sold: number;
  /** Tickets in holds that have not expired (see salesByTicketType). */
  held: number;
  hidden: boolean;
  removed: boolean;
  /** Tickets ever sold (refunded ones included) and what they were sold for. */
  grossCount: number;
  grossMinor: number;
  refundedCount: number;
  refundedMinor: number;
}

/**
 * Every ticket type of the event with its numbers, in one statement. Removed
 * types appear only when something of them was sold.
 *
 * `held` counts only holds whose `expires_at` is still ahead: the inventory's
 * own `held` counter also carries holds whose time is up but which no timer or
 * sweeper has released yet, and those never block a buyer (the next hold that
 * runs short releases them first), so counting them would understate what is
 * available.
 */
export async function salesByTicketType(db: DbExecutor, eventId: string): Promise<TicketTypeSales[]> {
  const rows = (await db.execute(sql`
    with sales as (
      select ri.ticket_type_id,
        sum(ri.quantity)::bigint as gross_count,
        sum(ri.quantity::bigint * ri.unit_price_minor)::bigint as gross_minor,
        coalesce(sum(ri.quantity) filter (where o.status = 'refunded'), 0)::bigint as refunded_count,
        coalesce(sum(ri.quantity::bigint * ri.unit_price_minor) filter (where o.status = 'refunded'), 0)::bigint as refunded_minor
      from orders.orders o
      join orders.reservation_items ri on ri.reservation_id = o.reservation_id
      where o.event_id = ${eventId} and o.paid_at is not null and o.status in ('paid', 'refunding', 'refunded')
      group by ri.ticket_type_id
    ), holds as (
      select ri.ticket_type_id, sum(ri.quantity)::bigint as held
      from orders.reservations r
      join orders.reservation_items ri on ri.reservation_id = r.id
      where r.event_id = ${eventId} and r.status = 'held' and r.expires_at > now()
      group by ri.ticket_type_id
    )
    select i.ticket_type_id, i.name, i.price_minor, i.capacity, i.sold, i.hidden, i.removed,
      coalesce(h.held, 0) as held,
      coalesce(s.gross_count, 0) as gross_count, coalesce(s.gross_minor, 0) as gross_minor,
      coalesce(s.refunded_count, 0) as refunded_count, coalesce(s.refunded_minor, 0) as refunded_minor
    from orders.inventory i
    left join sales s on s.ticket_type_id = i.ticket_type_id
    left join holds h on h.ticket_type_id = i.ticket_type_id
    where i.event_id = ${eventId} and (not i.removed or i.sold > 0 or s.ticket_type_id is not null)
    order by i.removed, i.name, i.ticket_type_id
  `)) as unknown as Array<Record<string, string | number | boolean>>;
  return rows.map((row) => ({
    ticketTypeId: String(row.ticket_type_id),
    name: String(row.name),
    priceMinor: Number(row.price_minor),
    capacity: Number(row.capacity),
    sold: Number(row.sold),
    held: Number(row.held),
    hidden: row.hidden === true,
    removed: row.removed === true,
    grossCount: Number(row.gross_count),
    grossMinor: Number(row.gross_minor),
    refundedCount: Number(row.refunded_count),
    refundedMinor: Number(row.refunded_minor),
  }));
}

/** The first payment of the event's sales, if any: where a timeline starts by default. */
export async function firstSaleAt(db: DbExecutor, eventId: string): Promise<Date | undefined> {
  const rows = (await db.execute(sql`
    select to_char(min(paid_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as first
    from orders.orders
    where event_id = ${eventId} and paid_at is not null and status in ('paid', 'refunding', 'refunded')
  `)) as unknown as Array<{ first: string | null }>;
  const first = rows[0]?.first;
  return first ? new Date(first) : undefined;
}

export interface TimelineBucket {
  /** The bucket's first instant (ISO, UTC). */
  start: string;
  /** The same instant on the event's wall clock (no offset). */
  local: string;
  ticketsSold: number;
  grossMinor: number;
  refundedCount: number;
  refundedMinor: number;
}

/**
 * Sales and refunds in buckets from the one holding `from` to the one holding
 * `to`, empty buckets included (generate_series), in one statement. Sales go
 * by `paid_at`, refunds by `refunded_at`. Day buckets are calendar days on the
 * event's clock (so 23 or 25 hours long at a DST change); hour buckets are
 * hours of absolute time (UTC-aligned: no hour twice or missing at a DST
 * change). The caller bounds the number of buckets first.
 */
export async function salesTimeline(db: DbExecutor, eventId: string, options: { interval: 'hour' | 'day'; timeZone: string; from: Date; to: Date }): Promise<TimelineBucket[]> {
  const { interval, timeZone } = options;
  // The zone the buckets are cut in: the event's for days, UTC for hours.
  const zone = interval === 'day' ? timeZone : 'UTC';
  const step = `1 ${interval}`;
  const rows = (await db.execute(sql`
    with series as (
      select g as local_start
      from generate_series(
        date_trunc(${interval}::text, ${options.from.toISOString()}::timestamptz at time zone ${zone}::text),
        date_trunc(${interval}::text, ${options.to.toISOString()}::timestamptz at time zone ${zone}::text),
        ${step}::interval
      ) g
    ), bounds as (
      select min(local_start) at time zone ${zone}::text as lo, (max(local_start) + ${step}::interval) at time zone ${zone}::text as hi from series
    ), sale_orders as (
      select o.id, o.status, o.paid_at, o.refunded_at, sum(ri.quantity)::bigint as tickets, sum(ri.quantity::bigint * ri.unit_price_minor)::bigint as minor
      from orders.orders o join orders.reservation_items ri on ri.reservation_id = o.reservation_id
      where o.event_id = ${eventId} and o.paid_at is not null and o.status in ('paid', 'refunding', 'refunded')
      group by o.id
    ), sales as (
      select date_trunc(${interval}::text, s.paid_at at time zone ${zone}::text) as local_start, sum(s.tickets)::bigint as tickets, sum(s.minor)::bigint as minor
      from sale_orders s, bounds b
      where s.paid_at >= b.lo and s.paid_at < b.hi
      group by 1
    ), refunds as (
      select date_trunc(${interval}::text, s.refunded_at at time zone ${zone}::text) as local_start, sum(s.tickets)::bigint as tickets, sum(s.minor)::bigint as minor
      from sale_orders s, bounds b
      where s.status = 'refunded' and s.refunded_at >= b.lo and s.refunded_at < b.hi
      group by 1
    )
    select
      to_char((x.local_start at time zone ${zone}::text) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
      to_char((x.local_start at time zone ${zone}::text) at time zone ${timeZone}::text, 'YYYY-MM-DD"T"HH24:MI:SS') as local,
      coalesce(sales.tickets, 0) as tickets_sold, coalesce(sales.minor, 0) as gross_minor,
      coalesce(refunds.tickets, 0) as refunded_count, coalesce(refunds.minor, 0) as refunded_minor
    from series x
    left join sales on sales.local_start = x.local_start
    left join refunds on refunds.local_start = x.local_start
    order by x.local_start
  `)) as unknown as Array<Record<string, string | number>>;
  return rows.map((row) => ({
    start: String(row.start),
    local: String(row.local),
    ticketsSold: Number(row.tickets_sold),
    grossMinor: Number(row.gross_minor),
    refundedCount: Number(row.refunded_count),
    refundedMinor: Number(row.refunded_minor),
  }));
}

export type AttendeeStatus = 'valid' | 'void' | 'checked-in' | 'not-checked-in';

export interface AttendeeFilter {
  /** Part of the attendee's name or email or the buyer's email, any case. */
  q?: string;
  status?: AttendeeStatus;
}

/** `value` as a LIKE pattern that matches it literally anywhere (`%`, `_` and `\` escaped; `\` is LIKE's default escape). */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function statusCondition(status: AttendeeStatus | undefined): SQL | undefined {
  switch (status) {
    case 'valid':
    case 'void':
      return eq(tickets.status, status);
    case 'checked-in':
      return isNotNull(tickets.checkedInAt);
    case 'not-checked-in':
      return and(eq(tickets.status, 'valid'), isNull(tickets.checkedInAt));
    default:
      return undefined;
  }
}

/**
 * The event's tickets with their attendee and buyer, newest first, a page at a
 * time (keyset on issued_at, id; issued_at is written from a JS Date, so the
 * millisecond cursor is exact). Tickets exist only for paid orders; a refunded
 * order's tickets are here too, void.
 */
export async function attendeesOfEvent(db: DbExecutor, eventId: string, filter: AttendeeFilter, page: { limit: number; before?: { at: Date; id: string } }) {
  const { before } = page;
  const pattern = filter.q ? containsPattern(filter.q) : undefined;
  return db
    .select({
      id: tickets.id,
      attendeeName: tickets.attendeeName,
      attendeeEmail: tickets.attendeeEmail,
      ticketTypeId: tickets.ticketTypeId,
      ticketTypeName: sql<string>`coalesce(${inventory.name}, 'Ticket')`,
      orderId: tickets.orderId,
      buyerEmail: orders.buyerEmail,
      status: tickets.status,
      issuedAt: tickets.issuedAt,
      checkedInAt: tickets.checkedInAt,
    })
    .from(tickets)
    .innerJoin(orders, eq(orders.id, tickets.orderId))
    .leftJoin(inventory, eq(inventory.ticketTypeId, tickets.ticketTypeId))
    .where(
      and(
        eq(tickets.eventId, eventId),
        inArray(orders.status, ['paid', 'refunding', 'refunded']),
        statusCondition(filter.status),
        pattern ? or(sql`${tickets.attendeeName} ilike ${pattern}`, sql`${tickets.attendeeEmail} ilike ${pattern}`, sql`${orders.buyerEmail} ilike ${pattern}`) : undefined,
        // A row comparison, not `a < x or (a = x and b < y)`: with an index on (event_id, issued_at, id) it is the index's range.
        before ? sql`(${tickets.issuedAt}, ${tickets.id}) < (${before.at.toISOString()}::timestamptz, ${before.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(tickets.issuedAt), desc(tickets.id))
    .limit(page.limit);
}

export type AttendeeRow = Awaited<ReturnType<typeof attendeesOfEvent>>[number];
