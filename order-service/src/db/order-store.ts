import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbExecutor } from '@twenny/messaging';
import { lockInventoryOf } from './holds.ts';
import { mails, orders, payments, refunds, tickets, type Attendee, type OrderStatus, type RefundReason } from './schema.ts';

export type OrderRow = typeof orders.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

export async function orderById(db: DbExecutor, orderId: string, options: { lock?: boolean } = {}): Promise<OrderRow | undefined> {
  const query = db.select().from(orders).where(eq(orders.id, orderId));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function orderOfReservation(db: DbExecutor, reservationId: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.reservationId, reservationId));
  return row;
}

/** The reservation's order: created at its first checkout, given the latest attendees at the next while it is pending. */
export async function upsertPendingOrder(db: DbExecutor, order: Omit<typeof orders.$inferInsert, 'status'>): Promise<OrderRow | undefined> {
  const [row] = await db
    .insert(orders)
    .values({ ...order, status: 'pending' })
    .onConflictDoUpdate({ target: orders.reservationId, set: { attendees: sql`excluded.attendees`, version: sql`${orders.version} + 1` }, setWhere: eq(orders.status, 'pending') })
    .returning();
  return row;
}

/** A guarded transition: only from one of `from`; answers whether it happened. */
export async function moveOrder(db: DbExecutor, orderId: string, from: OrderStatus[], to: OrderStatus, fields: Partial<typeof orders.$inferInsert> = {}): Promise<boolean> {
  const rows = await db
    .update(orders)
    .set({ ...fields, status: to, version: sql`${orders.version} + 1` })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
    .returning({ id: orders.id });
  return rows.length > 0;
}

export async function insertPayment(db: DbExecutor, payment: typeof payments.$inferInsert): Promise<PaymentRow> {
  const [row] = await db.insert(payments).values(payment).onConflictDoNothing().returning();
  if (row) return row;
  // The provider answered the same payment again (same idempotency key): keep the first row.
  const [existing] = await db.select().from(payments).where(and(eq(payments.provider, payment.provider), eq(payments.providerPaymentId, payment.providerPaymentId)));
  return existing!;
}

export async function paymentByProviderId(db: DbExecutor, provider: string, providerPaymentId: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.providerPaymentId, providerPaymentId)));
  return row;
}

export async function paymentsOfOrder(db: DbExecutor, orderId: string): Promise<PaymentRow[]> {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(asc(payments.createdAt));
}

/**
 * The provider's word on an open payment, in one statement with what
 * fulfilling its order needs (the order's event and reservation). Only an open
 * payment completes: a repeated webhook finds none and changes nothing.
 */
export async function completeOpenPayment(
  db: DbExecutor,
  payment: { provider: string; providerPaymentId: string; outcome: 'succeeded' | 'failed' | 'expired'; failureCode?: string },
): Promise<CompletedPayment | undefined> {
  const rows = (await db.execute(sql`
    with completed as (
      update orders.payments set status = ${payment.outcome}, failure_code = ${payment.failureCode ?? null}, completed_at = now()
      where provider = ${payment.provider} and provider_payment_id = ${payment.providerPaymentId} and status = 'open'
      returning id, order_id, amount_minor, currency
    )
    select c.id, c.order_id, c.amount_minor, c.currency, o.event_id, o.reservation_id
    from completed c join orders.orders o on o.id = c.order_id
  `)) as unknown as Array<{ id: string; order_id: string; amount_minor: number; currency: string; event_id: string; reservation_id: string }>;
  const row = rows[0];
  return row && { id: row.id, orderId: row.order_id, amountMinor: row.amount_minor, currency: row.currency, order: { eventId: row.event_id, reservationId: row.reservation_id } };
}

export interface CompletedPayment {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  /** What fulfilling the order needs to lock first. */
  order: { eventId: string; reservationId: string };
}

/**
 * Turns a hold into a sale in one statement: the reservation goes from held to
 * converted and its tickets move from held to sold. False if it was no longer
 * held (released or expired meanwhile).
 */
export async function convertHold(db: DbExecutor, reservationId: string): Promise<boolean> {
  const rows = (await db.execute(sql`
    with converted as (
      update orders.reservations set status = 'converted', ended_at = now()
      where id = ${reservationId} and status = 'held'
      returning id
    ), items as (
      select ri.ticket_type_id, ri.quantity from orders.reservation_items ri join converted on ri.reservation_id = converted.id
    ), locked as (
      ${lockInventoryOf(sql`select ticket_type_id from items`)}
    ), moved as (
      update orders.inventory i set held = i.held - items.quantity, sold = i.sold + items.quantity, version = i.version + 1
      from items, locked l where i.ticket_type_id = items.ticket_type_id and l.ticket_type_id = i.ticket_type_id
      returning 1
    )
    select count(*)::int as converted from converted
  `)) as unknown as Array<{ converted: number }>;
  return rows[0]!.converted > 0;
}

/**
 * Sells a paid order's tickets whose hold has ended (a payment confirmed late),
 * if the stock is still there and the sale still open — under the same CHECK as
 * every hold. Raises (refuse_hold) and keeps nothing if any ticket type is
 * short or off sale.
 */
export async function sellWithoutHold(db: DbExecutor, sale: { reservationId: string; eventId: string; userId: string }): Promise<void> {
  await db.execute(sql`
    with items as (
      select ticket_type_id, quantity from orders.reservation_items where reservation_id = ${sale.reservationId}
    ), locked as (
      ${lockInventoryOf(sql`select ticket_type_id from items`)}
    ), taken as (
      update orders.inventory i set sold = i.sold + items.quantity, version = i.version + 1
      from items, orders.events e, locked l
      where i.ticket_type_id = items.ticket_type_id and l.ticket_type_id = i.ticket_type_id and i.event_id = ${sale.eventId} and e.event_id = i.event_id
        and e.status = 'published' and e.ends_at > now()
        and not i.removed and not i.hidden
        and (i.sales_end_at is null or i.sales_end_at > now())
        and i.held + i.sold + items.quantity <= i.capacity
      returning 1
    ), allowance as (
      insert into orders.buyer_allowances (event_id, user_id, tickets, max_tickets)
      select ${sale.eventId}, ${sale.userId}, sum(quantity), sum(quantity) from items
      on conflict (event_id, user_id) do update
        set tickets = orders.buyer_allowances.tickets + excluded.tickets,
            max_tickets = greatest(orders.buyer_allowances.max_tickets, orders.buyer_allowances.tickets + excluded.tickets)
      returning 1
    )
    select case when (select count(*) from taken) <> (select count(*) from items)
      then orders.refuse_hold('sold out, or no longer on sale, before the late payment arrived') end as refused
  `);
}

export async function insertTickets(db: DbExecutor, rows: Array<typeof tickets.$inferInsert>): Promise<void> {
  if (rows.length > 0) await db.insert(tickets).values(rows);
}

export async function ticketsOfOrder(db: DbExecutor, orderId: string): Promise<TicketRow[]> {
  return db.select().from(tickets).where(eq(tickets.orderId, orderId)).orderBy(asc(tickets.issuedAt), asc(tickets.id));
}

/**
 * A refunded order's tickets are void and their stock back on sale, and the
 * buyer's allowance shrinks by as many — in one statement. Only valid tickets
 * count, so running it twice returns nothing twice.
 */
export async function voidTicketsAndReturnStock(db: DbExecutor, orderId: string): Promise<number> {
  const rows = (await db.execute(sql`
    with voided as (
      update orders.tickets set status = 'void' where order_id = ${orderId} and status = 'valid'
      returning ticket_type_id, event_id, user_id
    ), per_type as (
      select ticket_type_id, count(*)::int as n from voided group by ticket_type_id
    ), locked as (
      ${lockInventoryOf(sql`select ticket_type_id from per_type`)}
    ), returned as (
      update orders.inventory i set sold = i.sold - per_type.n, version = i.version + 1
      from per_type, locked l where i.ticket_type_id = per_type.ticket_type_id and l.ticket_type_id = i.ticket_type_id
      returning 1
    ), allowance as (
      update orders.buyer_allowances a set tickets = greatest(0, a.tickets - (select count(*) from voided))
      from (select distinct event_id, user_id from voided) v
      where a.event_id = v.event_id and a.user_id = v.user_id
      returning 1
    )
    select count(*)::int as voided from voided
  `)) as unknown as Array<{ voided: number }>;
  return rows[0]!.voided;
}

/** A refund request; one per payment of an order. A second request for the same payment is a bug: it throws. */
export async function insertRefund(db: DbExecutor, refund: { id: string; orderId: string; paymentId: string | null; amountMinor: number; reason: RefundReason; requestedBy?: string }): Promise<RefundRow> {
  const [row] = await db.insert(refunds).values({ ...refund, status: 'requested' }).returning();
  return row!;
}

export async function refundById(db: DbExecutor, refundId: string, options: { lock?: boolean } = {}): Promise<RefundRow | undefined> {
  const query = db.select().from(refunds).where(eq(refunds.id, refundId));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function requestedRefundIds(db: DbExecutor, options: { olderThanMs: number; limit: number }): Promise<string[]> {
  const rows = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, 'requested'), sql`${refunds.createdAt} <= now() - make_interval(secs => ${options.olderThanMs / 1000})`))
    // Refunds that keep failing sink: they never hold up newer ones.
    .orderBy(asc(refunds.attempts), asc(refunds.createdAt))
    .limit(options.limit);
  return rows.map((r) => r.id);
}

export async function recordRefundFailure(db: DbExecutor, refundId: string, error: string): Promise<void> {
  await db.update(refunds).set({ attempts: sql`${refunds.attempts} + 1`, lastError: error.slice(0, 500) }).where(eq(refunds.id, refundId));
}

export async function markRefundSucceeded(db: DbExecutor, refundId: string, providerRefundId: string | null): Promise<boolean> {
  const rows = await db
    .update(refunds)
    .set({ status: 'succeeded', providerRefundId, completedAt: sql`now()`, attempts: sql`${refunds.attempts} + 1` })
    .where(and(eq(refunds.id, refundId), eq(refunds.status, 'requested')))
    .returning({ id: refunds.id });
  return rows.length > 0;
}

export async function queueMail(db: DbExecutor, mail: { id: string; kind: (typeof mails.$inferInsert)['kind']; orderId: string }): Promise<void> {
  await db.insert(mails).values(mail);
}

export type { Attendee };

/** Payments still open at the provider a while after they were made, whose order still waits: their webhook may be lost. */
export async function stalePaymentIds(db: DbExecutor, options: { olderThanMs: number; limit: number }): Promise<Array<{ providerPaymentId: string }>> {
  return db
    .select({ providerPaymentId: payments.providerPaymentId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(eq(payments.status, 'open'), inArray(orders.status, ['pending', 'expired']), sql`${payments.createdAt} <= now() - make_interval(secs => ${options.olderThanMs / 1000})`, sql`${payments.createdAt} > now() - interval '7 days'`))
    .orderBy(asc(payments.createdAt))
    .limit(options.limit);
}
