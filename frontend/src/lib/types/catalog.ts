/**
 * What catalog-service answers about events, as the attendee pages read it
 * (GET /api/events, /api/events/:slugOrId, /api/categories, /api/cities).
 * Amounts are in minor units of `currency`; instants are ISO strings in UTC,
 * shown in the event's `timeZone`.
 */

/** One processed size and format of a cover image, served from /media/<id>/<variant>. */
export interface ImageVariant {
  url: string;
  width: number;
  height: number;
  format: string;
}

export interface CoverImage {
  imageId: string;
  /** Empty when the organiser gave none: the image is then decorative. */
  alt: string;
  width: number;
  height: number;
  variants: ImageVariant[];
  /** A tiny blurred preview (data: URI) shown while a variant loads. */
  placeholder?: string;
  /** `#rrggbb`, the background while the image loads. */
  dominantColor?: string;
}

/** An event in a list or search result. */
export interface EventSummary {
  id: string;
  slug: string;
  title: string;
  category: string;
  tags: string[];
  venueName: string;
  city: string;
  country: string;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  currency: string;
  /** Null when the event has no ticket type on sale. */
  priceFromMinor: number | null;
  priceToMinor: number | null;
  free: boolean;
  coverImage: CoverImage | null;
  organizationId: string;
}

export interface CategoryFacet {
  slug: string;
  label: string;
  count: number;
}

export interface CityFacet {
  city: string;
  count: number;
}

export type EventSort = 'soonest' | 'relevance' | 'newest' | 'popular';

export interface EventSearchResult {
  items: EventSummary[];
  /** Carries the search on to the next page; null on the last. */
  nextCursor: string | null;
  sort: EventSort;
  /** Counts per category and city for the same search: on the first page only. */
  facets?: { categories: CategoryFacet[]; cities: CityFacet[] };
}

export interface Category {
  slug: string;
  label: string;
  upcomingEvents: number;
}

export interface City {
  city: string;
  country: string;
  upcomingEvents: number;
}

export interface Venue {
  id: string;
  name: string;
  address: string;
  city: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
  timeZone: string;
}

export interface TicketType {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  capacity: number;
  available: number;
  soldOut: boolean;
  salesStartAt: string | null;
  salesEndAt: string | null;
  minPerOrder: number;
  maxPerOrder: number;
  sortOrder: number;
}

/** Buyers may refund until `untilHoursBeforeStart` hours before the start, or not at all. */
export type RefundPolicy = { refundable: false } | { refundable: true; untilHoursBeforeStart: number };

export type EventStatus = 'draft' | 'published' | 'cancelled' | 'ended' | 'deleted';

/** An event's page: venue, description and ticket types with what is left. */
export interface EventDetail {
  id: string;
  slug: string;
  organizationId: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  currency: string;
  refundPolicy: RefundPolicy | null;
  priceFromMinor: number | null;
  priceToMinor: number | null;
  coverImage: CoverImage | null;
  venue: Venue;
  ticketTypes: TicketType[];
}
