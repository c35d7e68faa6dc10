import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { messagingTables } from '@twenny/messaging/tables';

/** Everything order-service stores lives in this schema, owned by its own role. */
export const ordersSchema = pgSchema('orders');

export const { outbox, inbox, subjectVersions } = messagingTables(ordersSchema);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * What order-service knows of each event, kept from catalog's event messages
 * (state transfer: the newest version wins). Enough to sell without asking catalog.
 */
export const events = ordersSchema.table('events', {
  eventId: uuid('event_id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  title: text('title').notNull(),
  slug: text('slug').notNull(),
  status: text('status', { enum: ['draft', 'published', 'cancelled', 'ended', 'deleted'] }).notNull(),
  startsAt: at('starts_at').notNull(),
  endsAt: at('ends_at').notNull(),
  timeZone: text('time_zone').notNull(),
  currency: text('currency').notNull(),
  refundableUntilHours: integer('refundable_until_hours'),
  /** catalog's version of the event: older messages change nothing. */
  version: integer('version').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * The authoritative inventory: one row per ticket type. `held` and `sold` are
 * counters kept in the same statement as the hold, order or refund that changes
 * them; the CHECK makes overselling impossible whatever code path tries it.
 * `version` rises with every change of the numbers. No index covers the
 * counters or the version, so the hot path's updates stay HOT (in place).
 */
export const inventory = ordersSchema.table(
  'inventory',
  {
    ticketTypeId: uuid('ticket_type_id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.eventId, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priceMinor: integer('price_minor').notNull(),
    capacity: integer('capacity').notNull(),
    held: integer('held').notNull().default(0),
    sold: integer('sold').notNull().default(0),
    salesStartAt: at('sales_start_at'),
    salesEndAt: at('sales_end_at'),
    minPerOrder: integer('min_per_order').notNull(),
    maxPerOrder: integer('max_per_order').notNull(),
    hidden: boolean('hidden').notNull().default(false),
    /** No longer in the event (catalog removed it): nothing new is sold, what was sold stays. */
    removed: boolean('removed').notNull().default(false),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    check('inventory_within_capacity', sql`${table.held} >= 0 and ${table.sold} >= 0 and ${table.held} + ${table.sold} <= ${table.capacity}`),
    index('inventory_event_idx').on(table.eventId),
  ],
);

/**
 * Ticket types whose numbers changed since they were last announced. A trigger
 * on inventory fills it (no code path can forget), the inventory publisher
 * empties it: a burst of changes is one row, so one message.
 */
export const inventoryChanges = ordersSchema.table('inventory_changes', {
  ticketTypeId: uuid('ticket_type_id').primaryKey(),
});

/**
 * Tickets one buyer holds or has bought for one event, against the event's
 * per-buyer limit: counted in the hold's own statement, so parallel holds by one
 * buyer cannot slip past it.
 */
export const buyerAllowances = ordersSchema.table(
  'buyer_allowances',
  {
    eventId: uuid('event_id').notNull(),
    userId: text('user_id').notNull(),
    tickets: integer('tickets').notNull(),
    maxTickets: integer('max_tickets').notNull(),
  },
  (table) => [primaryKey({ columns: [table.eventId, table.userId] }), check('buyer_allowance_within_limit', sql`${table.tickets} >= 0 and ${table.tickets} <= ${table.maxTickets}`)],
);

export const reservationStatuses = ['held', 'released', 'expired', 'converted'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** A hold: tickets kept for one buyer until `expires_at`, then released unless converted into a paid order. */
export const reservations = ordersSchema.table(
  'reservations',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    eventId: uuid('event_id').notNull(),
    status: text('status', { enum: reservationStatuses }).notNull(),
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    /** When it stopped holding stock (released, expired or converted). */
    endedAt: at('ended_at'),
  },
  (table) => [
    index('reservations_held_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'held'`),
    index('reservations_user_idx').on(table.userId, table.createdAt),
  ],
);

export const reservationItems = ordersSchema.table(
  'reservation_items',
  {
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
  },
  (table) => [primaryKey({ columns: [table.reservationId, table.ticketTypeId] }), index('reservation_items_ticket_type_idx').on(table.ticketTypeId), check('reservation_item_quantity', sql`${table.quantity} > 0`)],
);

export const orderStatuses = ['pending', 'paid', 'expired', 'refunding', 'refunded'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** One attendee per admission, given at checkout. */
export type Attendee = { ticketTypeId: string; name: string; email: string };

/** A checkout of one reservation: pending until paid, then refunded perhaps. */
export const orders = ordersSchema.table(
  'orders',
  {
    id: uuid('id').primaryKey(),
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id),
    userId: text('user_id').notNull(),
    buyerEmail: text('buyer_email').notNull(),
    eventId: uuid('event_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    status: text('status', { enum: orderStatuses }).notNull(),
    totalMinor: integer('total_minor').notNull(),
    currency: text('currency').notNull(),
    attendees: jsonb('attendees').$type<Attendee[]>().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    paidAt: at('paid_at'),
    /** The payment that paid it: the one a refund gives back (another payment of the order is a duplicate). */
    paidPaymentId: uuid('paid_payment_id'),
    refundedAt: at('refunded_at'),
    /** Why it was refunded or expired, in words for the buyer. */
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    uniqueIndex('orders_reservation_idx').on(table.reservationId),
    index('orders_user_idx').on(table.userId, table.createdAt),
    index('orders_event_paid_idx').on(table.eventId, table.paidAt),
  ],
);

export const paymentStatuses = ['open', 'succeeded', 'failed', 'expired'] as const;

/** An attempt to pay an order at a provider; an order may have several (a declined card, then another). */
export const payments = ordersSchema.table(
  'payments',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    provider: text('provider').notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    redirectUrl: text('redirect_url'),
    failureCode: text('failure_code'),
    createdAt: at('created_at').notNull().defaultNow(),
    completedAt: at('completed_at'),
  },
  (table) => [uniqueIndex('payments_provider_idx').on(table.provider, table.providerPaymentId), index('payments_order_idx').on(table.orderId)],
);

export const refundReasons = ['buyer', 'organiser', 'event-cancelled', 'paid-after-sell-out', 'duplicate-payment'] as const;
export type RefundReason = (typeof refundReasons)[number];

/** Money going back: requested in the order's transaction, carried out at the provider, retried until done. */
export const refunds = ordersSchema.table(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    paymentId: uuid('payment_id').references(() => payments.id),
    amountMinor: integer('amount_minor').notNull(),
    reason: text('reason', { enum: refundReasons }).notNull(),
    requestedBy: text('requested_by'),
    status: text('status', { enum: ['requested', 'succeeded'] }).notNull(),
    providerRefundId: text('provider_refund_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    completedAt: at('completed_at'),
  },
  // One refund per payment of an order (a free order's has no payment).
  (table) => [unique('refunds_one_per_payment').on(table.orderId, table.paymentId).nullsNotDistinct(), index('refunds_requested_idx').on(table.createdAt).where(sql`${table.status} = 'requested'`)],
);

/** One admission. `code` is what the QR carries: signed, so the door can check it offline. */
export const tickets = ordersSchema.table(
  'tickets',
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    eventId: uuid('event_id').notNull(),
    ticketTypeId: uuid('ticket_type_id').notNull(),
    userId: text('user_id').notNull(),
    code: text('code').notNull(),
    attendeeName: text('attendee_name').notNull(),
    attendeeEmail: text('attendee_email').notNull(),
    status: text('status', { enum: ['valid', 'void'] }).notNull().default('valid'),
    issuedAt: at('issued_at').notNull().defaultNow(),
    checkedInAt: at('checked_in_at'),
    checkedInBy: text('checked_in_by'),
    checkedInByEmail: text('checked_in_by_email'),
  },
  (table) => [
    uniqueIndex('tickets_code_idx').on(table.code),
    index('tickets_order_idx').on(table.orderId),
    index('tickets_user_idx').on(table.userId, table.issuedAt),
    index('tickets_event_idx').on(table.eventId, table.ticketTypeId),
    // The organiser's attendee list and CSV page through an event's tickets, newest first.
    index('tickets_event_issued_idx').on(table.eventId, table.issuedAt, table.id),
  ],
);

/**
 * Idempotency keys (per caller and operation): the first request's answer is
 * kept and given again for the same key; a request still running makes its
 * duplicates wait for it.
 */
export const idempotencyKeys = ordersSchema.table(
  'idempotency_keys',
  {
    userId: text('user_id').notNull(),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: at('created_at').notNull().defaultNow(),
    completedAt: at('completed_at'),
  },
  (table) => [primaryKey({ columns: [table.userId, table.scope, table.key] }), index('idempotency_keys_created_idx').on(table.createdAt)],
);

/** Mail to send, written in the transaction that causes it; a worker job sends it and retries. */
export const mails = ordersSchema.table(
  'mails',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['order-confirmation', 'order-refunded'] }).notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    status: text('status', { enum: ['pending', 'sent'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    sentAt: at('sent_at'),
  },
  (table) => [index('mails_pending_idx').on(table.createdAt).where(sql`${table.status} = 'pending'`)],
);

/**
 * The built-in `test` payment provider's own records. It stands in for an
 * external processor, so it keeps them apart from ours: nothing here is read by
 * the order code, which sees only what the provider answers and the webhooks it signs.
 */
export const testProviderPayments = ordersSchema.table('test_provider_payments', {
  id: text('id').primaryKey(),
  amountMinor: integer('amount_minor').notNull(),
  currency: text('currency').notNull(),
  description: text('description').notNull(),
  reference: text('reference').notNull(),
  returnUrl: text('return_url').notNull(),
  status: text('status', { enum: ['open', 'succeeded', 'failed', 'expired'] }).notNull().default('open'),
  failureCode: text('failure_code'),
  /** Last four digits only: card numbers are never stored. */
  cardLast4: text('card_last4'),
  refundedMinor: integer('refunded_minor').notNull().default(0),
  /** After this the page no longer takes payment, and the payment ends as expired (like a Checkout session). */
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  completedAt: at('completed_at'),
});
