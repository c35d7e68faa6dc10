import { HttpProblem } from '@twenny/http-kit';
import { organizationRole, type Identity } from '@twenny/identity';
import type { DbExecutor } from '@twenny/messaging';
import { attendeesOfEvent, firstSaleAt, reportEvent, salesByTicketType, salesTimeline, type AttendeeFilter, type AttendeeRow } from '../db/report-reads.ts';
import { csvRow } from '../domain/csv.ts';

/*
 * What the organiser sees of one event's sales and attendees: members of the
 * organisation that owns the event (any role), no one else. An unknown event
 * is a 404; a known one of another organisation a 403.
 */

export type ReportEvent = NonNullable<Awaited<ReturnType<typeof reportEvent>>>;

/** The event, if the caller is a member of the organisation that owns it. */
export async function organiserEvent(db: DbExecutor, caller: Identity, eventId: string): Promise<ReportEvent> {
  const event = await reportEvent(db, eventId);
  if (!event) throw HttpProblem.notFound(`There is no event ${eventId}.`);
  if (!organizationRole(caller, event.organizationId)) throw HttpProblem.forbidden('Only members of the organisation that runs this event may see its sales and attendees.');
  return event;
}

/**
 * Per ticket type and in total: capacity, sold, held (live holds only),
 * available, and money from the orders — gross, refunded, and revenue (gross
 * less refunded). Removed ticket types that sold are listed (their capacity is
 * left out of the total: nothing more of them can be sold).
 */
export async function salesReport(db: DbExecutor, caller: Identity, eventId: string) {
  const event = await organiserEvent(db, caller, eventId);
  const types = await salesByTicketType(db, eventId);
  const ticketTypes = types.map((t) => ({
    ticketTypeId: t.ticketTypeId,
    name: t.name,
    priceMinor: t.priceMinor,
    capacity: t.capacity,
    sold: t.sold,
    held: t.held,
    available: t.removed ? 0 : Math.max(0, t.capacity - t.sold - t.held),
    hidden: t.hidden,
    removed: t.removed,
    grossMinor: t.grossMinor,
    refundedCount: t.refundedCount,
    refundedMinor: t.refundedMinor,
    revenueMinor: t.grossMinor - t.refundedMinor,
  }));
  const sum = (pick: (t: (typeof ticketTypes)[number]) => number) => ticketTypes.reduce((total, t) => total + pick(t), 0);
  return {
    eventId: event.eventId,
    title: event.title,
    status: event.status,
    currency: event.currency,
    generatedAt: new Date().toISOString(),
    ticketTypes,
    totals: {
      capacity: sum((t) => (t.removed ? 0 : t.capacity)),
      sold: sum((t) => t.sold),
      held: sum((t) => t.held),
      available: sum((t) => t.available),
      grossMinor: sum((t) => t.grossMinor),
      refundedCount: sum((t) => t.refundedCount),
      refundedMinor: sum((t) => t.refundedMinor),
      revenueMinor: sum((t) => t.revenueMinor),
    },
  };
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** The calendar day (days since 1970-01-01) an instant falls on in a time zone. */
export function localDayNumber(at: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  } catch {
    // A zone this runtime does not know: UTC days are at most one off.
    return Math.floor(at.getTime() / dayMs);
  }
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / dayMs;
}

/** How many buckets run from the one holding `from` to the one holding `to`: hours are UTC-aligned, days the event's. */
export function bucketCount(interval: 'hour' | 'day', from: Date, to: Date, timeZone: string): number {
  if (interval === 'hour') return Math.floor(to.getTime() / hourMs) - Math.floor(from.getTime() / hourMs) + 1;
  return localDayNumber(to, timeZone) - localDayNumber(from, timeZone) + 1;
}

/**
 * Sales and refunds over time, every bucket present (zeros included) so a chart
 * can plot it. `from` defaults to the first sale, `to` to now. A range given
 * explicitly that needs more than `maxBuckets` buckets is refused (400); a
 * defaulted `from` is moved forward to fit instead (`truncated: true`).
 * The buckets' own numbers add up to `totals`; over the whole life of the
 * event, `totals.revenueMinor` equals the sales report's.
 */
export async function salesTimelineReport(
  db: DbExecutor,
  caller: Identity,
  eventId: string,
  query: { interval: 'hour' | 'day'; from?: Date; to?: Date },
  maxBuckets: number,
) {
  const event = await organiserEvent(db, caller, eventId);
  const { interval } = query;
  const to = query.to ?? new Date();
  let from = query.from ?? (await firstSaleAt(db, eventId)) ?? to;
  let truncated = false;
  if (from.getTime() > to.getTime()) {
    if (query.from) throw HttpProblem.validation([{ name: 'query.from', reason: '`from` must not be after `to` (which defaults to now).' }]);
    from = to; // the first sale after an explicit `to`: one empty bucket
  }
  const needed = bucketCount(interval, from, to, event.timeZone);
  if (needed > maxBuckets) {
    if (query.from) {
      const longest = interval === 'hour' ? `${maxBuckets} hours (about ${Math.floor(maxBuckets / 24)} days)` : `${maxBuckets} days`;
      throw HttpProblem.validation(
        [{ name: 'query.from', reason: `This range needs ${needed} ${interval} buckets; one answer holds at most ${maxBuckets}. Narrow from/to to at most ${longest}${interval === 'hour' ? ', or ask for interval=day' : ''}.` }],
        `The range is too long for one timeline: at most ${maxBuckets} buckets.`,
      );
    }
    const unit = interval === 'hour' ? hourMs : dayMs;
    from = new Date(to.getTime() - (maxBuckets - 1) * unit);
    while (bucketCount(interval, from, to, event.timeZone) > maxBuckets) from = new Date(from.getTime() + unit);
    truncated = true;
  }
  const buckets = (await salesTimeline(db, eventId, { interval, timeZone: event.timeZone, from, to })).map((b) => ({ ...b, revenueMinor: b.grossMinor - b.refundedMinor }));
  const sum = (pick: (b: (typeof buckets)[number]) => number) => buckets.reduce((total, b) => total + pick(b), 0);
  return {
    eventId: event.eventId,
    interval,
    timeZone: event.timeZone,
    currency: event.currency,
    from: from.toISOString(),
    to: to.toISOString(),
    truncated,
    buckets,
    totals: {
      ticketsSold: sum((b) => b.ticketsSold),
      grossMinor: sum((b) => b.grossMinor),
      refundedCount: sum((b) => b.refundedCount),
      refundedMinor: sum((b) => b.refundedMinor),
      revenueMinor: sum((b) => b.revenueMinor),
    },
  };
}

function attendeeView(row: AttendeeRow) {
  return {
    ticketId: row.id,
    attendeeName: row.attendeeName,
    attendeeEmail: row.attendeeEmail,
    ticketTypeId: row.ticketTypeId,
    ticketTypeName: row.ticketTypeName,
    orderId: row.orderId,
    buyerEmail: row.buyerEmail,
    status: row.status,
    issuedAt: row.issuedAt.toISOString(),
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
  };
}

const normalised = (filter: AttendeeFilter): AttendeeFilter => ({ q: filter.q?.trim() || undefined, status: filter.status });

/** A page of the event's attendees (tickets of paid and refunded orders), newest first. */
export async function listAttendees(db: DbExecutor, caller: Identity, eventId: string, filter: AttendeeFilter, page: { limit: number; before?: { at: Date; id: string } }) {
  await organiserEvent(db, caller, eventId);
  const rows = await attendeesOfEvent(db, eventId, normalised(filter), { limit: page.limit + 1, before: page.before });
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items: rows.slice(0, page.limit).map(attendeeView), next: last ? { at: last.issuedAt, id: last.id } : undefined };
}

export const attendeeCsvHeader = ['ticket_id', 'attendee_name', 'attendee_email', 'ticket_type', 'order_id', 'buyer_email', 'status', 'issued_at', 'checked_in_at'] as const;

/**
 * Every matching attendee as CSV lines (header first), read in keyset batches
 * so memory holds one batch whatever the size of the event. Each batch is its
 * own short query: no transaction or cursor is held open while a slow client
 * reads, so a ticket refunded during the export may show its earlier status,
 * and tickets issued after the export began are not in it.
 * Call organiserEvent first (the caller's right to see it is not checked here).
 */
export async function* attendeeCsvLines(db: DbExecutor, eventId: string, filter: AttendeeFilter, batchSize = 1000): AsyncGenerator<string> {
  yield csvRow(attendeeCsvHeader);
  let before: { at: Date; id: string } | undefined;
  for (;;) {
    const rows = await attendeesOfEvent(db, eventId, normalised(filter), { limit: batchSize, before });
    if (rows.length === 0) return;
    yield rows.map((r) => csvRow([r.id, r.attendeeName, r.attendeeEmail, r.ticketTypeName, r.orderId, r.buyerEmail, r.status, r.issuedAt.toISOString(), r.checkedInAt?.toISOString()])).join('');
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    before = { at: last.issuedAt, id: last.id };
  }
}
