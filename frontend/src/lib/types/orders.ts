/**
 * What order-service answers about holds, orders and tickets, as the buyer
 * sees them. Amounts are in minor units of `currency`.
 */

export type ReservationStatus = 'held' | 'released' | 'expired' | 'converted';

export interface ReservationItem {
  ticketTypeId: string;
  quantity: number;
  unitPriceMinor: number;
}

/** A hold: tickets kept for the buyer until `expiresAt`. */
export interface Reservation {
  id: string;
  /** "expired" as soon as `expiresAt` has passed, even before the timer ends it. */
  status: ReservationStatus;
  eventId: string;
  expiresAt: string;
  items: ReservationItem[];
  total: number;
  currency: string;
}

export type OrderStatus = 'pending' | 'paid' | 'expired' | 'refunding' | 'refunded';
export type PaymentStatus = 'open' | 'succeeded' | 'failed' | 'expired';

/** What the payment provider says in `?payment=` when it sends the buyer back. */
export type PaymentReturn = 'succeeded' | 'failed' | 'cancelled' | 'expired';

export interface OrderPayment {
  id: string;
  provider: string;
  status: PaymentStatus;
  /** card_declined, insufficient_funds, cancelled, expired … */
  failureCode?: string;
  /** The provider's page, while the payment is open. */
  redirectUrl?: string;
}

export interface OrderEvent {
  id: string;
  title?: string;
  slug?: string;
  startsAt?: string;
  endsAt?: string;
  timeZone?: string;
  status?: string;
}

export interface OrderItem {
  ticketTypeId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface Ticket {
  id: string;
  ticketTypeId: string;
  ticketTypeName: string;
  attendeeName: string;
  attendeeEmail: string;
  status: 'valid' | 'void';
  /** The signed code the door scans; also shown as text. */
  code: string;
  /** Path of the QR code image (buyer only). */
  qr: string;
  checkedInAt?: string;
}

export interface Order {
  id: string;
  status: OrderStatus;
  /** Why the order is in its status, in words (a refund's reason …). */
  statusReason?: string;
  reservationId: string;
  event: OrderEvent;
  items: OrderItem[];
  total: number;
  currency: string;
  createdAt: string;
  paidAt?: string;
  refundedAt?: string;
  /** Whether the buyer may still refund it themselves (the event's policy). */
  refundable: boolean;
  payment?: OrderPayment;
  tickets: Ticket[];
}

export interface OrderPage {
  items: Order[];
  next: string | null;
}

/** One attendee per ticket, as checkout takes them. */
export interface Attendee {
  ticketTypeId: string;
  name: string;
  email: string;
}
