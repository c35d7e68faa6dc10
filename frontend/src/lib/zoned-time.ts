/**
 * Wall-clock times at a venue ↔ instants. An organiser types "2027-03-28T20:00"
 * into a datetime-local field meaning 20:00 where the venue is, not where their
 * browser is; the API stores instants. Pure functions, no I/O (tested in
 * test/unit/zoned-time.test.ts).
 *
 * The rules around daylight-saving changes match catalog-service's own reading
 * of wall-clock input, so what the site sends is what the API would have chosen:
 * a time skipped by a spring-forward gap means the same clock reading after the
 * gap (02:30 → 03:30), and a time repeated by an autumn overlap means the
 * earlier of the two instants.
 */

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Amsterdam"). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock reading of `instant` in `zone`, expressed as if it were a UTC time (ms). */
function wallClockMs(instant: number, zone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(instant)) parts[part.type] = part.value;
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The zone's offset from UTC at `instant`, in ms (seconds dropped: formatToParts has none below them). */
function offsetAt(instant: number, zone: string): number {
  return wallClockMs(instant, zone) - Math.floor(instant / 1000) * 1000;
}

/**
 * "2027-03-28T20:00" at the venue (IANA `zone`) → the UTC instant as ISO 8601
 * ("2027-03-28T18:00:00.000Z"). Undefined when the text is not a date-time
 * (datetime-local's format), names a day that does not exist (2027-02-30), or
 * the zone is unknown.
 */
export function zonedLocalToUtc(local: string, zone: string): string | undefined {
  const match = localPattern.exec(local.trim());
  if (!match || !isTimeZone(zone)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  // Date.UTC reads years below 100 as 19xx: such a year is a typo anyway.
  if (year < 1000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;

  // The offsets a day either side bracket any transition near this reading.
  const before = offsetAt(wall - dayMs, zone);
  const after = offsetAt(wall + dayMs, zone);
  const matches = [...new Set([wall - before, wall - after])].filter((instant) => wallClockMs(instant, zone) === wall).sort((a, b) => a - b);
  // None: the reading falls in a gap; the offset from before the gap reads it past the gap.
  return new Date(matches[0] ?? wall - before).toISOString();
}

/** A UTC instant (ISO 8601) → the venue's wall-clock time for a datetime-local field: "2027-03-28T20:00". */
export function utcToZonedLocal(iso: string, zone: string): string {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return '';
  return new Date(wallClockMs(instant, zone)).toISOString().slice(0, 16);
}
