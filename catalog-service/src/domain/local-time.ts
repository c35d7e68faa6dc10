/**
 * Event times are entered as the venue's wall-clock time ("2027-03-12T20:00" in
 * Europe/Amsterdam) or as an instant with an offset. Stored as instants; shown
 * again in the venue's zone.
 */

const localDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export function isTimeZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` is a wall-clock date-time or an instant this module can read. */
export function isDateTimeInput(text: string): boolean {
  return localDateTime.test(text) || withOffset.test(text);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of `instant` in `zone`, as if they were UTC (ms). */
function wallClockMs(instant: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(instant).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/**
 * The instant of a date-time input: as given when it has an offset, else the
 * wall-clock time in `zone`. In a spring-forward gap the time after the gap is
 * taken; in an autumn overlap, the earlier of the two. Undefined when unreadable
 * or not a real date (2027-02-30).
 */
export function toInstant(text: string, zone: string): Date | undefined {
  if (withOffset.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const match = localDateTime.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0'] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return undefined;
  // The zone's offset near that time, then again at the result (DST changes in between).
  let guess = wall - (wallClockMs(wall, zone) - wall);
  const offsetAtGuess = wallClockMs(guess, zone) - guess;
  const candidate = wall - offsetAtGuess;
  if (wallClockMs(candidate, zone) === wall) guess = candidate;
  // Overlap: prefer the earlier instant if it shows the same wall time.
  const earlier = guess - 3_600_000;
  if (wallClockMs(earlier, zone) === wall) return new Date(earlier);
  return new Date(guess);
}

/** `instant` as wall-clock time in `zone`: "2027-03-12T20:00". */
export function toLocal(instant: Date, zone: string): string {
  return new Date(wallClockMs(instant.getTime(), zone)).toISOString().slice(0, 16);
}
