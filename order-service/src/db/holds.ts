import { sql, type SQL } from 'drizzle-orm';
import type { DbExecutor, PreparedMessage } from '@twenny/messaging';

/**
 * A CTE body that locks the inventory rows of the given ticket types in one
 * order (by id) before a statement updates them. Every statement that changes
 * several rows takes them this way, so two of them never wait on each other.
 */
export function lockInventoryOf(ticketTypeIds: SQL): SQL {
  return sql`select i.ticket_type_id from orders.inventory i where i.ticket_type_id in (${ticketTypeIds}) order by i.ticket_type_id for update`;
}

export interface HoldItem {
  ticketTypeId: string;
  quantity: number;
}

export interface HeldReservation {
  expiresAt: Date;
  totalMinor: number;
  currency: string;
  items: Array<HoldItem & { unitPriceMinor: number }>;
}

/** Postgres errors a hold can end in, by what they mean. */
export const holdRefusals = {
  /** refuse_hold(): a ticket type not on sale, outside its window or limits, or the event not on sale. */
  notHoldable: 'TW409',
  checkViolation: '23514',
  deadlock: '40P01',
  inventoryConstraint: 'inventory_within_capacity',
  allowanceConstraint: 'buyer_allowance_within_limit',
} as const;

/**
 * Holds tickets in ONE statement: it takes every item from the inventory
 * (whose CHECK refuses to go past capacity), counts them against the buyer's
 * allowance (whose CHECK refuses to pass the per-buyer limit), and writes the
 * reservation — or, if any part cannot be done, raises and keeps nothing. One
 * round trip holds the hot inventory row's lock for the shortest time.
 */
export async function insertHold(
  db: DbExecutor,
  hold: { reservationId: string; userId: string; eventId: string; items: HoldItem[]; lifetimeSeconds: number; maxTicketsPerBuyer: number },
): Promise<HeldReservation> {
  const wanted = JSON.stringify(hold.items.map((item) => ({ ticket_type_id: item.ticketTypeId, quantity: item.quantity })));
  const tickets = hold.items.reduce((sum, item) => sum + item.quantity, 0);
  const rows = (await db.execute(sql`
    with wanted as (
      select * from jsonb_to_recordset(${wanted}::jsonb) as w(ticket_type_id uuid, quantity int)
    ), event as (
      select event_id, currency from orders.events
      where event_id = ${hold.eventId} and status = 'published' and ends_at > now()
    ), locked as (
      ${lockInventoryOf(sql`select ticket_type_id from wanted`)}
    ), taken as (
      update orders.inventory i set held = i.held + w.quantity, version = i.version + 1
      from wanted w, event e, locked l
      where i.ticket_type_id = w.ticket_type_id and l.ticket_type_id = i.ticket_type_id and i.event_id = e.event_id
        and not i.removed and not i.hidden
        and w.quantity between i.min_per_order and i.max_per_order
        and (i.sales_start_at is null or i.sales_start_at <= now())
        and (i.sales_end_at is null or i.sales_end_at > now())
      returning i.ticket_type_id, w.quantity, i.price_minor
    ), allowance as (
      insert into orders.buyer_allowances (event_id, user_id, tickets, max_tickets)
      select e.event_id, ${hold.userId}, ${tickets}, ${hold.maxTicketsPerBuyer} from event e
      on conflict (event_id, user_id) do update
        set tickets = orders.buyer_allowances.tickets + excluded.tickets, max_tickets = excluded.max_tickets
      returning tickets
    ), reservation as (
      insert into orders.reservations (id, user_id, event_id, status, total_minor, currency, expires_at)
      select ${hold.reservationId}, ${hold.userId}, e.event_id, 'held',
        (select coalesce(sum(quantity * price_minor), 0) from taken), e.currency,
        now() + make_interval(secs => ${hold.lifetimeSeconds})
      from event e
      returning expires_at, total_minor, currency
    ), items as (
      insert into orders.reservation_items (reservation_id, ticket_type_id, quantity, unit_price_minor)
      select ${hold.reservationId}, ticket_type_id, quantity, price_minor from taken
      returning ticket_type_id, quantity, unit_price_minor
    )
    select
      case when (select count(*) from taken) <> ${hold.items.length} or not exists (select 1 from allowance)
        then orders.refuse_hold('not every ticket type could be held') end as refused,
      r.expires_at, r.total_minor, r.currency,
      (select json_agg(json_build_object('ticketTypeId', ticket_type_id, 'quantity', quantity, 'unitPriceMinor', unit_price_minor)) from items) as items
    from (select 1) one left join reservation r on true
  `)) as unknown as Array<{ expires_at: string | Date; total_minor: number; currency: string; items: HeldReservation['items'] }>;
  const row = rows[0]!;
  return { expiresAt: new Date(row.expires_at), totalMinor: row.total_minor, currency: row.currency, items: row.items };
}

export type EndedBy = 'released' | 'expired';

/**
 * Ends a hold that is still `held` and gives its tickets back, in one statement
 * (a conditional update: the timer, the sweeper, the buyer and a checkout may
 * race; exactly one of them ends it). `onlyIfExpired` leaves a hold alone until
 * its time is up by the database's clock. A pending order of the hold expires
 * with it. Returns whether this call ended it.
 */
export async function endHold(
  db: DbExecutor,
  reservationId: string,
  options: { endedBy: EndedBy; onlyIfExpired: boolean; userId?: string; message?: PreparedMessage<unknown> },
): Promise<boolean> {
  const { endedBy, onlyIfExpired, userId, message } = options;
  const rows = (await db.execute(sql`
    with ended as (
      update orders.reservations set status = ${endedBy}, ended_at = now()
      where id = ${reservationId} and status = 'held'
        ${onlyIfExpired ? sql`and expires_at <= now()` : sql``}
        ${userId ? sql`and user_id = ${userId}` : sql``}
      returning id, event_id, user_id
    ), items as (
      select ri.ticket_type_id, ri.quantity from orders.reservation_items ri join ended on ri.reservation_id = ended.id
    ), locked as (
      ${lockInventoryOf(sql`select ticket_type_id from items`)}
    ), returned as (
      update orders.inventory i set held = i.held - items.quantity, version = i.version + 1
      from items, locked l where i.ticket_type_id = items.ticket_type_id and l.ticket_type_id = i.ticket_type_id
      returning 1
    ), allowance as (
      update orders.buyer_allowances a set tickets = a.tickets - (select sum(quantity) from items)
      from ended where a.event_id = ended.event_id and a.user_id = ended.user_id
      returning 1
    ), pending_order as (
      update orders.orders o set status = 'expired', status_reason = 'The hold on the tickets ended before payment.', version = o.version + 1
      from ended where o.reservation_id = ended.id and o.status = 'pending'
      returning 1
    )${message ? sql`, message as (${message.statement({ when: sql`exists (select 1 from ended)` })})` : sql``}
    select count(*)::int as ended from ended
  `)) as unknown as Array<{ ended: number }>;
  return rows[0]!.ended > 0;
}

/** Holds whose time is up but which are still `held` (a lost timer), oldest first. */
export async function overdueHoldIds(db: DbExecutor, options: { limit: number; ticketTypeIds?: string[]; buyer?: { userId: string; eventId: string }; graceMs?: number }): Promise<string[]> {
  const { limit, ticketTypeIds, buyer, graceMs = 0 } = options;
  const rows = (await db.execute(sql`
    select r.id from orders.reservations r
    where r.status = 'held' and r.expires_at <= now() - make_interval(secs => ${graceMs / 1000})
      ${ticketTypeIds ? sql`and exists (select 1 from orders.reservation_items ri where ri.reservation_id = r.id and ri.ticket_type_id in (select jsonb_array_elements_text(${JSON.stringify(ticketTypeIds)}::jsonb)::uuid))` : sql``}
      ${buyer ? sql`and r.user_id = ${buyer.userId} and r.event_id = ${buyer.eventId}` : sql``}
    order by r.expires_at
    limit ${limit}
  `)) as unknown as Array<{ id: string }>;
  return rows.map((row) => row.id);
}
