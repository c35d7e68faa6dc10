/**
 * Wall-clock times at a venue ↔ instants, for the event editor. An organiser
 * types "2027-03-28T20:00" into a datetime-local field meaning 20:00 where the
 * venue is, not where their browser is; the API stores instants. The reading
 * itself (daylight-saving gaps and overlaps, real days, the years events may
 * have) is catalog-service's own, from @twenny/time, so what the site sends is
 * what the API would have chosen.
 */
import { isTimeZone, toInstant, toLocal } from '@twenny/time';

export { isTimeZone };

// What a datetime-local field sends: a wall-clock reading, never an offset.
const wallClock = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

/**
 * "2027-03-28T20:00" at the venue (IANA `zone`) → the UTC instant as ISO 8601
 * ("2027-03-28T18:00:00.000Z"). Undefined when the text is not a date-time
 * (datetime-local's format), names a day that does not exist (2027-02-30), lies
 * outside the years events may have, or the zone is unknown.
 */
export function zonedLocalToUtc(local: string, zone: string): string | undefined {
  const text = local.trim();
  if (!wallClock.test(text) || !isTimeZone(zone)) return undefined;
  return toInstant(text, zone)?.toISOString();
}

/** A UTC instant (ISO 8601) → the venue's wall-clock time for a datetime-local field: "2027-03-28T20:00". */
export function utcToZonedLocal(iso: string, zone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime()) || !isTimeZone(zone)) return '';
  return toLocal(instant, zone);
}
