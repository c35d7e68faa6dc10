/**
 * What the organiser area reads from the API, as the services answer it
 * (catalog for events, order-service for sales and attendees, media for
 * images, Better-Auth for teams). Only the fields the site uses are named.
 */
import type { Category, CoverImage, EventStatus, RefundPolicy, TicketType as CatalogTicketType, Venue } from './catalog.ts';

// The shapes both areas read are defined once, with the attendee pages' types.
export type { Category, CoverImage, EventStatus, RefundPolicy, Venue };

export type TeamRole = 'owner' | 'admin' | 'member';

/** A ticket type as its organiser sees it: the public fields, and what is hidden, sold and held. */
export interface TicketType extends CatalogTicketType {
  hidden: boolean;
  sold: number;
  held: number;
}

/** One event as its organisation lists it (GET /api/organizations/:id/events). */
export interface OrganiserEventSummary {
  id: string;
  slug: string;
  organizationId: string;
  title: string;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  startsAtLocal: string;
  endsAtLocal: string;
  currency: string;
  priceFromMinor: number | null;
  priceToMinor: number | null;
  coverImage: CoverImage | null;
  publishedAt: string | null;
  sold: number;
  held: number;
  capacity: number;
}

/** One event with its venue and ticket types, as a member of its organisation sees it (GET /api/events/:id). */
export interface OrganiserEvent extends Omit<OrganiserEventSummary, 'sold' | 'held' | 'capacity'> {
  description: string;
  category: string;
  tags: string[];
  refundPolicy: RefundPolicy;
  version: number;
  venue: Venue;
  ticketTypes: TicketType[];
}

export interface EventPage {
  items: OrganiserEventSummary[];
  nextCursor: string | null;
}

/** GET /api/events/:id/sales: per ticket type and in total. */
export interface SalesNumbers {
  capacity: number;
  sold: number;
  held: number;
  available: number;
  grossMinor: number;
  refundedCount: number;
  refundedMinor: number;
  revenueMinor: number;
}

export interface SalesReport {
  eventId: string;
  title: string;
  status: EventStatus;
  currency: string;
  generatedAt: string;
  ticketTypes: Array<SalesNumbers & { ticketTypeId: string; name: string; priceMinor: number; hidden: boolean; removed: boolean }>;
  totals: SalesNumbers;
}

export type TimelineInterval = 'hour' | 'day';

export interface TimelineBucket {
  /** The bucket's start, an instant. */
  start: string;
  /** The same start as the venue's wall clock ("2026-11-27T00:00:00"). */
  local: string;
  ticketsSold: number;
  grossMinor: number;
  refundedCount: number;
  refundedMinor: number;
  revenueMinor: number;
}

export interface SalesTimeline {
  eventId: string;
  interval: TimelineInterval;
  timeZone: string;
  currency: string;
  from: string;
  to: string;
  truncated: boolean;
  buckets: TimelineBucket[];
  totals: { ticketsSold: number; grossMinor: number; refundedCount: number; refundedMinor: number; revenueMinor: number };
}

export type AttendeeStatusFilter = 'valid' | 'void' | 'checked-in' | 'not-checked-in';

export interface Attendee {
  ticketId: string;
  attendeeName: string;
  attendeeEmail: string;
  ticketTypeId: string;
  ticketTypeName: string;
  orderId: string;
  buyerEmail: string;
  status: 'valid' | 'void';
  issuedAt: string;
  checkedInAt: string | null;
}

export interface AttendeePage {
  items: Attendee[];
  /** The cursor of the next (older) page, or null on the last. */
  next: string | null;
}

/** What the door sees after one scan, for people: never the raw API answer. */
export type CheckInResult =
  | { outcome: 'admitted'; attendeeName: string; ticketTypeName: string; eventTitle: string; at: string }
  | { outcome: 'already-used'; attendeeName: string; ticketTypeName: string; at: string; by: string | null }
  | { outcome: 'invalid'; reason: string };

/** GET /api/media/images/:id */
export interface MediaImage {
  id: string;
  status: 'processing' | 'ready' | 'failed';
  alt: string;
  width: number | null;
  height: number | null;
  variants: Array<{ name: string; format: string; width: number; height: number; url: string }>;
  failureReason: string | null;
}

export interface Team {
  id: string;
  name: string;
  slug: string;
}

export interface TeamMember {
  id: string;
  userId: string;
  role: TeamRole;
  createdAt: string;
  user: { id: string; name: string; email: string };
}

export interface TeamInvitation {
  id: string;
  email: string;
  role: TeamRole;
  status: 'pending' | 'accepted' | 'rejected' | 'canceled';
  expiresAt: string;
}

/** Per-field reasons keyed by the form's own field names, and a sentence for the whole form. */
export interface FormErrors {
  message?: string;
  fields: Record<string, string>;
}

/** The event editor's fields as typed (prices in major units, times on the venue's wall clock). */
export interface TicketTypeValues {
  id?: string;
  name: string;
  description: string;
  /** Major units, as typed: "12.50". */
  price: string;
  capacity: string;
  minPerOrder: string;
  maxPerOrder: string;
  /** datetime-local values at the venue, or empty. */
  salesStartAt: string;
  salesEndAt: string;
  hidden: boolean;
}

export interface EventFormValues {
  title: string;
  description: string;
  category: string;
  tags: string;
  venueName: string;
  venueAddress: string;
  venueCity: string;
  venueCountry: string;
  venueTimeZone: string;
  startsAt: string;
  endsAt: string;
  currency: string;
  refundable: boolean;
  refundHours: string;
  ticketTypes: TicketTypeValues[];
}

export interface SelectOption {
  value: string;
  label: string;
}

/** The choices the editor's selects offer (computed on the server, so SSR and hydration agree). */
export interface EditorOptions {
  categories: Pick<Category, 'slug' | 'label'>[];
  timeZones: SelectOption[];
  countries: SelectOption[];
  currencies: SelectOption[];
}
